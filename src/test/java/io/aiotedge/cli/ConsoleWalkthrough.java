package io.aiotedge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.support.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser against the demo's running node (DemoLoopIT, after v1 ships):
 * the demo's one-time link signs in, the fleet lists the simulated motors, the faulty one shows
 * FAILURE, its device chart receives new points, an alert acknowledged on the page is
 * acknowledged in the API, and signing out ends the session. Saves a screenshot of each view.
 */
final class ConsoleWalkthrough {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAGE = Duration.ofSeconds(20);

    private final Browser b;
    private final int http;
    private final String token;

    ConsoleWalkthrough(Browser b, int http, String token) {
        this.b = b;
        this.http = http;
        this.token = token;
    }

    void run(String demoLog, int motors) throws Exception {
        Matcher m = Pattern.compile("Console: (http://\\S+)").matcher(demoLog);
        assertTrue(m.find(), "demo prints the console URL:\n" + demoLog);
        String link = m.group(1);
        assertTrue(link.contains("/console/signin?code="), "a one-time sign-in link: " + link);
        b.open(link);
        b.await("#logout", PAGE);
        fleet(motors);
        device("motor-002");
        ack();
        views();
        List<String> csp = b.errors().stream().filter(e -> e.contains("Content Security Policy")).toList();
        assertEquals(List.of(), csp, "the page keeps to its own CSP");
        logout();
    }

    private void fleet(int motors) {
        b.await("tr[data-id=\"motor-002\"]", PAGE);
        assertEquals(motors, b.all("tr[data-id^=\"motor-\"]").size(), "one row per simulated motor");
        // the faulty motor turns FAILURE on the page (live over SSE, or at the latest on a reload)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> "FAILURE"
                .equals(b.await("tr[data-id=\"motor-002\"] [data-band]", PAGE).getText()));
        Object rendered = b.js("const m = performance.getEntriesByName('fleet-rendered')[0];"
                + " return m ? Math.round(m.startTime) : -1;");
        System.out.printf(Locale.ROOT, "console: fleet rendered %s ms after navigation start%n", rendered);
        b.screenshot("fleet");
        b.driver().manage().window().setSize(new Dimension(390, 844));
        b.screenshot("fleet-phone");
        b.driver().manage().window().setSize(new Dimension(1280, 900));
    }

    private void device(String id) {
        b.js("location.hash = '#/device/' + arguments[0]", id);
        WebElement score = b.await("#chart-score", PAGE);
        await().atMost(PAGE).until(() -> points(score) > 0);
        int before = points(score);
        await().atMost(Duration.ofSeconds(30)).until(() -> points(score) > before);
        await().atMost(PAGE).ignoreExceptions().until(() -> points(b.await("#chart-rms", PAGE)) > 0);
        b.screenshot("device");
    }

    private static int points(WebElement chart) {
        return Integer.parseInt(chart.getAttribute("data-points"));
    }

    private void ack() throws Exception {
        b.js("location.hash = '#/alerts'");
        WebElement button = b.await("button[data-action=\"ack\"]", Duration.ofSeconds(60));
        String alertId = String.valueOf(b.js("return arguments[0].closest('[data-alert]').dataset.alert", button));
        button.click();
        String note = "bearing checked <b>on site</b>";
        b.await("input[name=\"note\"]", PAGE).sendKeys(note);
        b.await("button[data-action=\"ack-save\"]", PAGE).click();
        b.await(".ack[data-alert=\"" + alertId + "\"] .acked", PAGE);
        b.screenshot("alerts");
        JsonNode alert = api("/api/v1/alerts/" + alertId);
        assertEquals(note, alert.path("ack").path("note").asText(), alert.toString());
        assertTrue(!alert.path("ack").path("by").asText().isEmpty() && alert.path("ack").path("at").asLong() > 0,
                alert.toString());
        // issue 17: the alert names the model that raised it, and that model's lineage down to the data
        JsonNode lineage = alert.path("lineage");
        assertEquals(alert.path("modelVersion").asInt(), lineage.path("version").asInt(), alert.toString());
        assertTrue(lineage.path("pipelineRun").asLong() > 0, alert.toString());
        assertTrue(lineage.path("trainingSet").path("sha256").asText().matches("[0-9a-f]{64}"), alert.toString());
        assertTrue(lineage.path("trainingSet").path("rows").asLong() > 0, alert.toString());
        assertEquals("local", lineage.path("servedBy").asText(), alert.toString());
        assertTrue(lineage.path("lineageMatches").asBoolean(), "the alert's lineageId is its model's: " + alert);
    }

    private void views() {
        b.js("location.hash = '#/models'");
        b.await("section[data-model] tr[data-version=\"1\"]", PAGE);
        b.screenshot("models");
        b.js("location.hash = '#/pipeline'");
        b.await("tr[data-run]", PAGE); // its screenshot comes after the retrain, with drift bars (driftBars)
        b.js("location.hash = '#/node'");
        b.await("#node-ready", PAGE);
        b.screenshot("node");
    }

    /** After the retrain: the admin token signs in, the pipeline view draws the drift per feature. */
    void driftBars() {
        b.open("http://127.0.0.1:" + http + "/console/");
        b.await("#token", PAGE).sendKeys(token);
        b.await("#token-form button[type=\"submit\"]", PAGE).click();
        b.await("#logout", PAGE);
        b.js("location.hash = '#/pipeline'");
        b.await("section[aria-labelledby=\"drift-title\"] tbody tr", PAGE);
        assertTrue(b.all("section[aria-labelledby=\"drift-title\"] tbody tr").size() >= 4, "a bar row per feature");
        b.screenshot("pipeline");
    }

    private void logout() {
        b.await("#logout", PAGE).click();
        b.await("#signin-form", PAGE);
        assertTrue(b.fetch("GET", "/api/v1/session", null, null).startsWith("401 "), "the session is over");
        b.driver().navigate().refresh();
        b.await("#signin-form", PAGE);
        b.screenshot("signin");
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + http + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}

package io.aiotedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.support.Api;
import io.aiotedge.support.Browser;
import io.aiotedge.support.Models;
import io.aiotedge.support.PlatformNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's security in a real browser (Debian's Chromium) against an in-process platform
 * node: a viewer gets no promote button and a 403 from the API, a write without the CSRF token is
 * refused while the same write with it succeeds, HTML in a device's type and metadata is shown
 * as text, never run, and a canary is paused and aborted from the models view by an admin only,
 * each after a confirmation.
 */
@Timeout(180)
class ConsoleSecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";
    private static final String VIEWER_PW = "viewer-password-1";
    private static final String OPERATOR_PW = "operator-password-1";

    @TempDir
    static Path tmp;
    static PlatformNode node;
    static Api api;
    static Browser b;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 10_000);
        b = Browser.start(tmp);
        node = new PlatformNode(tmp.resolve("data"), "kafka.mode=off", "pipeline.enabled=false",
                "api.users=[{username: vera, passwordHash: \"" + hasher.hash(VIEWER_PW.toCharArray())
                        + "\", role: viewer},"
                        + " {username: otto, passwordHash: \"" + hasher.hash(OPERATOR_PW.toCharArray())
                        + "\", role: operator}]");
        api = node.api();
        base = "http://127.0.0.1:" + node.http();
        for (int v = 1; v <= 2; v++) {
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("file", Models.servable(2, 0, v));
            parts.put("metadata", "{\"inputSchema\":{\"features\":[\"a\",\"b\"]}}");
            assertEquals(201,
                    api.postMultipart("/api/v1/models/motor-condition/versions" + (v == 1 ? "?alias=champion" : ""),
                            api.admin(), parts).status());
        }
        assertEquals(201, api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"pump-1\"}").status());
        assertEquals(201, api.postJson("/api/v1/devices", api.admin(), JSON.writeValueAsString(Map.of("id", "xss-1",
                "type", HOSTILE, "metadata", Map.of("note", HOSTILE + "<script>window.__xss=2</script>")))).status());
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void signOut() {
        b.driver().manage().deleteAllCookies();
    }

    private static void signIn(String user, String password) {
        b.open(base + "/console/");
        b.await("#username", PAGE).sendKeys(user);
        b.await("#password", PAGE).sendKeys(password);
        b.await("#signin-form button[type=\"submit\"]", PAGE).click();
        b.await("#logout", PAGE);
    }

    private static String csrf() throws Exception {
        String s = b.fetch("GET", "/api/v1/session", null, null);
        assertTrue(s.startsWith("200 "), s);
        return JSON.readTree(s.substring(4)).get("csrf").asText();
    }

    @Test
    void viewer_seesNoPromoteButton_andItsPromoteCallIs403() throws Exception {
        signIn("vera", VIEWER_PW);
        b.js("location.hash = '#/models'");
        b.await("section[data-model=\"motor-condition\"] tr[data-version=\"2\"]", PAGE);
        assertEquals(0, b.all("[data-action=\"promote\"], [data-action=\"rollback\"]").size(),
                "no promote for a viewer");
        String r = b.fetch("PUT", "/api/v1/models/motor-condition/aliases/champion", "{\"version\":2}", csrf());
        assertTrue(r.startsWith("403 "), r);
        assertEquals(1, api.get("/api/v1/models/motor-condition/aliases", api.admin()).json().path("aliases")
                .path("champion").asInt(), "the champion did not change");
        assertEquals(List.of(), b.errors().stream().filter(e -> e.contains("Content Security Policy")).toList());

        // the admin, on the same page, does get the button for the version that is not champion
        b.driver().manage().deleteAllCookies();
        b.open(base + "/console/");
        b.await("#token", PAGE).sendKeys(api.admin());
        b.await("#token-form button[type=\"submit\"]", PAGE).click();
        b.await("#logout", PAGE);
        b.js("location.hash = '#/models'");
        b.await("tr[data-version=\"2\"] [data-action=\"promote\"]", PAGE);
        assertEquals(1, b.all("[data-action=\"promote\"]").size());
    }

    @Test
    void cookieWrite_withoutTheCsrfToken_isRefused_andWithIt_succeeds() throws Exception {
        signIn("otto", OPERATOR_PW);
        String refused = b.fetch("POST", "/api/v1/devices/pump-1/revoke", "{}", null);
        assertTrue(refused.startsWith("403 ") && refused.contains("csrf"), refused);
        assertEquals("PROVISIONED", state(), "not revoked by the refused call");
        String done = b.fetch("POST", "/api/v1/devices/pump-1/revoke", "{}", csrf());
        assertTrue(done.startsWith("200 ") || done.startsWith("204 "), done);
        assertEquals("REVOKED", state());
    }

    private static String state() {
        return api.get("/api/v1/devices/pump-1", api.admin()).json().path("state").asText();
    }

    @Test
    void htmlInDeviceTypeAndMetadata_isShownAsText_neverRun() throws Exception {
        signIn("vera", VIEWER_PW);
        b.await("tr[data-id=\"xss-1\"]", PAGE);
        b.js("location.hash = '#/device/xss-1'");
        b.await(".device-head .meta", PAGE);
        String text = String.valueOf(b.js("return document.getElementById('main').textContent"));
        assertTrue(text.contains(HOSTILE), "the type, literally: " + text);
        assertTrue(text.contains(HOSTILE + "<script>window.__xss=2</script>"), "the metadata, literally: " + text);
        assertEquals(0L, b.js("return document.querySelectorAll('main img, main script').length"));
        assertEquals(null, b.js("return window.__xss === undefined ? null : window.__xss"));
        JsonNode fleet = JSON.readTree(b.fetch("GET", "/api/v1/fleet", null, null).substring(4));
        assertTrue(fleet.toString().contains("xss-1"), fleet.toString());
    }

    @Test
    void adminPausesAndAbortsACanary_fromTheModelsView_eachConfirmed_aViewerSeesItWithoutControls() throws Exception {
        Api.Res started = api.postJson(ROLLOUTS, api.admin(),
                "{\"version\":2,\"force\":true,\"devices\":[\"pump-1\"],\"reason\":\"console test\"}");
        assertEquals(201, started.status(), started.text());
        String id = started.json().get("id").asText();
        assertEquals("canary", started.json().get("stage").asText());
        String panel = "section[data-model=\"motor-condition\"] .rollout[data-rollout=\"" + id + "\"]";
        try {
            viewerSeesTheCanaryWithoutControls(panel);
            pauseAfterADismissedAbort(panel, id);
            b.await(panel + " [data-action=\"rollout-abort\"]", PAGE).click();
            confirmDialog().accept();
            b.await(panel + "[data-stage=\"aborted\"]", PAGE);
            assertEquals(0, b.all(panel + " [data-action^=\"rollout-\"]").size(), "an ended rollout has no controls");
            JsonNode done = api.get(ROLLOUTS + "/" + id, api.admin()).json();
            assertEquals("aborted", done.get("stage").asText());
            JsonNode last = done.get("events").get(done.get("events").size() - 1);
            assertEquals("admin", last.get("actor").asText(), last.toString());
            assertEquals("aborted from the console", last.get("reason").asText(), last.toString());
            assertEquals(1, api.get("/api/v1/models/motor-condition/aliases", api.admin()).json().path("aliases")
                    .path("champion").asInt(), "the champion stays");
            assertEquals(List.of(), b.errors().stream().filter(e -> e.contains("Content Security Policy")).toList());
        } finally {
            api.postJson(ROLLOUTS + "/" + id + "/abort", api.admin(), "{}"); // 409 once ended; frees the model
        }
    }

    private static final String ROLLOUTS = "/api/v1/models/motor-condition/rollouts";

    private static void viewerSeesTheCanaryWithoutControls(String panel) {
        signIn("vera", VIEWER_PW);
        b.js("location.hash = '#/models'");
        String text = b.await(panel + "[data-stage=\"canary\"]", PAGE).getText();
        assertTrue(text.contains("v1 to v2") && text.contains("devices pump-1"), text);
        assertEquals(0, b.all("[data-action^=\"rollout-\"]").size(), "no rollout controls for a viewer");
        b.driver().manage().deleteAllCookies();
    }

    /** As the admin: Abort, dismissed, changes nothing; Pause, confirmed, pauses (the page then offers Resume). */
    private static void pauseAfterADismissedAbort(String panel, String id) {
        signInWithToken();
        b.js("location.hash = '#/models'");
        b.await(panel + " [data-action=\"rollout-abort\"]", PAGE);
        b.js("document.querySelector(arguments[0]).scrollIntoView()", panel);
        b.screenshot("rollout");
        b.await(panel + " [data-action=\"rollout-abort\"]", PAGE).click();
        confirmDialog().dismiss();
        b.await(panel + " [data-action=\"rollout-pause\"]", PAGE).click();
        confirmDialog().accept();
        b.await(panel + " [data-action=\"rollout-resume\"]", PAGE);
        JsonNode paused = api.get(ROLLOUTS + "/" + id, api.admin()).json();
        assertEquals("canary", paused.get("stage").asText(), "the dismissed abort did nothing");
        assertTrue(paused.get("paused").asBoolean(), paused.toString());
    }

    private static void signInWithToken() {
        b.open(base + "/console/");
        b.await("#token", PAGE).sendKeys(api.admin());
        b.await("#token-form button[type=\"submit\"]", PAGE).click();
        b.await("#logout", PAGE);
    }

    private static org.openqa.selenium.Alert confirmDialog() {
        return new org.openqa.selenium.support.ui.WebDriverWait(b.driver(), PAGE)
                .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
    }
}

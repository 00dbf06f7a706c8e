package io.aiotedge.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The demo's live summary: every 15 s one line read from the node's own {@code /metrics} (fleet,
 * model served, devices per condition band, alerts and servo commands, rows stored, pipeline
 * runs), on a daemon thread that ends with the process.
 */
final class DemoSummary {
    private static final long EVERY_MS = 15_000;

    private DemoSummary() {
    }

    static void start(int httpPort, PrintWriter out) {
        Thread t = new Thread(() -> loop(httpPort, out), "demo-summary");
        t.setDaemon(true);
        t.start();
    }

    private static void loop(int port, PrintWriter out) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                Thread.sleep(EVERY_MS);
                String m = http.send(req, HttpResponse.BodyHandlers.ofString()).body();
                out.println(line(m, LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)));
                out.flush();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the node is stopping or busy; try again next round
            }
        }
    }

    /**
     * One summary line from a {@code /metrics} text. "shipped" counts champion changes
     * ({@code aiot_models_champion_changes_total}): a run that only registered a candidate, or a
     * version still in a rollout, did not reach the fleet.
     */
    static String line(String m, LocalTime now) {
        int version = (int) sum(m, "aiot_inference_model_version");
        return String.format(Locale.ROOT,
                "[%s] fleet: %d frames -> %d telemetry | model: %s | motors OK %d, WARNING %d, FAILURE %d"
                        + " | alerts %d, servo commands %d | datastore rows +%d | pipeline runs %d (%d shipped)",
                now, (long) sum(m, "aiot_simulator_frames_total{outcome=\"published\""),
                (long) sum(m, "aiot_gateway_frames_total{outcome=\"telemetry\""),
                version == 0 ? "none yet (the pipeline trains once faults show)" : "motor-condition v" + version,
                (long) sum(m, "aiot_inference_devices{band=\"OK\""),
                (long) sum(m, "aiot_inference_devices{band=\"WARNING\""),
                (long) sum(m, "aiot_inference_devices{band=\"FAILURE\""),
                (long) sum(m, "aiot_inference_alerts_total"), (long) sum(m, "aiot_inference_commands_total"),
                (long) sum(m, "aiot_ingest_rows_stored_total"), (long) sum(m, "aiot_pipeline_runs_total"),
                (long) sum(m, "aiot_models_champion_changes_total"));
    }

    /** Sum of the samples whose line starts with {@code prefix} (a name, or a name and first label). */
    static double sum(String metrics, String prefix) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix) && line.length() > prefix.length()
                    && (prefix.contains("{") || line.charAt(prefix.length()) == ' '
                            || line.charAt(prefix.length()) == '{')) {
                try {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return total;
    }
}

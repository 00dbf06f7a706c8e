package io.aiotedge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a deadline and captures its output. */
public final class Proc {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Proc() {
    }

    public static boolean available(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + command).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
                new String(err.readAllBytes(), StandardCharsets.UTF_8));
    }
}

package io.aiotedge.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a firmware CMake project on the host (warnings are errors there) and runs one of its programs. */
final class HostBuild {
    private HostBuild() {
    }

    /** Configures and builds {@code source} into {@code target/<name>-build}, runs {@code program args}. */
    static Proc.Result buildAndRun(String source, String name, String program, String... args) throws Exception {
        assumeTrue(have("cmake") && have("cc"), "cmake and a C compiler (.ci/run installs them)");
        Path build = Path.of("target", name + "-build");
        Files.createDirectories(build);
        Proc.Result configure = Proc.run(120, List.of("cmake", "-S", source, "-B", build.toString()));
        assertEquals(0, configure.exitCode(), configure.stdout() + configure.stderr());
        Proc.Result make = Proc.run(240, List.of("cmake", "--build", build.toString()));
        assertEquals(0, make.exitCode(), make.stdout() + make.stderr());
        List<String> command = new ArrayList<>(List.of(build.resolve(program).toString()));
        command.addAll(List.of(args));
        return Proc.run(120, command);
    }

    static boolean have(String tool) throws InterruptedException {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

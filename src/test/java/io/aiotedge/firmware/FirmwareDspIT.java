package io.aiotedge.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The firmware's portable C DSP core, built with CMake and gcc on the host (.ci/run installs
 * them), agrees with the Java DSP on the shared test vectors, and those vectors are current.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FirmwareDspIT {

    private static boolean have(String tool) throws InterruptedException {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void sharedTestVectors_areWhatTheJavaDspComputesNow() throws IOException {
        assertEquals(FeatureVectors.generate(), Files.readString(FeatureVectors.FILE),
                "firmware/testvectors/features.txt is stale: run FeatureVectors.main (see its javadoc)");
    }

    @Test
    void cCore_buildsWithWarningsAsErrors_andAgreesWithJavaWithin1e4() throws Exception {
        assumeTrue(have("cmake") && have("cc"), "cmake and a C compiler (.ci/run installs them)");
        Path build = Path.of("target/firmware-dsp-build");
        Files.createDirectories(build);
        Proc.Result configure = Proc.run(120, List.of("cmake", "-S", "firmware/dsp", "-B", build.toString()));
        assertEquals(0, configure.exitCode(), configure.stdout() + configure.stderr());
        Proc.Result make = Proc.run(240, List.of("cmake", "--build", build.toString()));
        assertEquals(0, make.exitCode(), make.stdout() + make.stderr());
        Proc.Result test = Proc.run(120, List.of(build.resolve("aiot_dsp_test").toString(),
                FeatureVectors.FILE.toString()));
        assertEquals(0, test.exitCode(), test.stdout() + test.stderr());
        assertTrue(test.stdout().contains("54 vector cases, 0 failures"), test.stdout());
    }
}

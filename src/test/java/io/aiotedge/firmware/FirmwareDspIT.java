package io.aiotedge.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The firmware's portable C DSP core, built with CMake and gcc on the host (.ci/run installs
 * them), agrees with the Java DSP on the shared test vectors, and those vectors are current.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FirmwareDspIT {

    @Test
    void sharedTestVectors_areWhatTheJavaDspComputesNow() throws IOException {
        assertEquals(FeatureVectors.generate(), Files.readString(FeatureVectors.FILE),
                "firmware/testvectors/features.txt is stale: run FeatureVectors.main (see its javadoc)");
    }

    @Test
    void cCore_buildsWithWarningsAsErrors_andAgreesWithJavaWithin1e4() throws Exception {
        Proc.Result test = HostBuild.buildAndRun("firmware/dsp", "firmware-dsp", "aiot_dsp_test",
                FeatureVectors.FILE.toString());
        assertEquals(0, test.exitCode(), test.stdout() + test.stderr());
        assertTrue(test.stdout().contains("54 vector cases, 0 failures"), test.stdout());
    }
}

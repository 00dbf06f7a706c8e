package io.aiotedge.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tensorflow.lite.TensorFlowLite;

/**
 * Loads TensorFlow Lite's JNI library out of the JAR. The {@code org.tensorflow.lite} classes in
 * these jars never load it themselves (docs/architecture.md, "Library pitfalls"), so it is copied
 * to a temporary file and {@code System.load}ed before the first Interpreter. A native library is loaded once per JVM and
 * cannot be unloaded, so this one piece of state is JVM-wide by nature: the holder class records
 * the outcome of the single attempt.
 */
final class NativeRuntime {
    static final String RESOURCE = "/native/lib/libtensorflowlite_jni.so";

    private NativeRuntime() {
    }

    /** Null when the runtime is loaded, else why not. */
    static String problem() {
        return Holder.PROBLEM;
    }

    static String version() {
        return problem() == null ? TensorFlowLite.runtimeVersion() : "unavailable";
    }

    private static final class Holder {
        static final String PROBLEM = load();

        private static String load() {
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                    || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                return "no TFLite native library for " + System.getProperty("os.name") + "/" + arch
                        + " in this JAR (linux-x86_64 only)";
            }
            try (InputStream in = NativeRuntime.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return "the JAR lacks " + RESOURCE;
                }
                Path tmp = Files.createTempFile("aiot-tflite-", ".so");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
                TensorFlowLite.init();
                return null;
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                return "cannot load the TFLite native library: " + e.getMessage();
            }
        }
    }
}

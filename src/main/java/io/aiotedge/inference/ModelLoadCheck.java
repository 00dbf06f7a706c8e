package io.aiotedge.inference;

import io.aiotedge.core.ModelCheck;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import io.aiotedge.tflite.ModelFormatException;
import java.util.Optional;

/**
 * The registry's pre-alias check, done the way an inference node will do it: the file goes through
 * our flatbuffer pre-parse and is opened on the backend, its input and output sizes are compared
 * with the schema, and one warm-up run must give a finite score. Stateless; thread-safe.
 */
public final class ModelLoadCheck implements ModelCheck {
    private final Backend backend;

    public ModelLoadCheck(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Optional<String> problem(byte[] model, int features) {
        try (Inference engine = backend.open(model)) {
            if (engine.inputSize() != features || engine.outputSize() != 1) {
                return Optional.of("the model takes " + engine.inputSize() + " inputs and gives " + engine.outputSize()
                        + " outputs; its schema lists " + features + " features and one score is expected");
            }
            float warm = engine.predict(new float[features])[0];
            return Float.isFinite(warm) ? Optional.empty() : Optional.of("a warm-up run gave " + warm);
        } catch (ModelFormatException e) {
            return Optional.of("it does not load: " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("it does not run: " + e.getMessage());
        }
    }
}

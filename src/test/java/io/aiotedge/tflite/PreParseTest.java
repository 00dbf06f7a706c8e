package io.aiotedge.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.HostileModels.Twist;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 finding 7: the Java pre-parse, which every model passes before the native runtime
 * sees it, refuses what it does not understand with a precise reason, and computes every size
 * and offset without overflow. Hostile files are hand-built ({@link HostileModels}) and each is
 * tried on both backends: the native one must never be reached by them.
 */
class PreParseTest {
    private static final Backend[] BOTH = {Backend.JAVA, Backend.TFLITE};

    private static String refused(byte[] model) {
        String first = null;
        for (Backend b : BOTH) {
            String m = assertThrows(ModelFormatException.class, () -> b.open(model).close(), b.name()).getMessage();
            if (first != null) {
                assertEquals(first, m, "both backends refuse in the pre-parse, with the same reason");
            }
            first = m;
        }
        return first;
    }

    @Test
    void handBuiltValidModel_loadsAndScoresOnBothBackends() throws Exception {
        for (Backend b : BOTH) {
            try (Inference m = b.open(HostileModels.valid())) {
                float z = HostileModels.W0 * 0.001f + HostileModels.W1 * 0.002f + HostileModels.BIAS;
                assertEquals(z, m.predict(new float[] {0.001f, 0.002f})[0], 1e-3, b.name());
            }
        }
    }

    @Test
    void shapeSignature_withADynamicBatchLoads_otherDynamicDimensionsAreRefused() throws Exception {
        for (Backend b : BOTH) {
            try (Inference m = b.open(HostileModels.build(Twist.DYNAMIC_BATCH))) {
                assertEquals(2, m.inputSize(), b.name());
            }
        }
        assertEquals(
                "tensor 'input' has shape_signature [1, -1] unlike its shape [1, 2]; dynamic shapes are not supported",
                refused(HostileModels.build(Twist.DYNAMIC_FEATURES)));
    }

    @Test
    void sparseTensor_isRefused() {
        assertEquals("tensor 'input' is sparse (sparsity is set); sparse tensors are not supported",
                refused(HostileModels.build(Twist.SPARSE_TENSOR)));
    }

    @Test
    void customQuantizationDetails_areRefused() {
        assertEquals("tensor 'input' has custom quantization details (type 1); not supported",
                refused(HostileModels.build(Twist.CUSTOM_QUANTIZATION)));
    }

    @Test
    void customOptions_areRefused() {
        assertEquals("FULLY_CONNECTED (operator 0) has custom options; not supported",
                refused(HostileModels.build(Twist.CUSTOM_OPTIONS)));
    }

    @Test
    void builtinOptionsOfAnotherType_areRefused() {
        assertEquals("FULLY_CONNECTED (operator 0) has builtin options of type 1; expected type 8",
                refused(HostileModels.build(Twist.WRONG_OPTIONS_TYPE)));
    }

    @Test
    void unknownFieldsInOptionsAndTensors_areRefused() {
        assertEquals("FULLY_CONNECTED (operator 0) options sets field 6, which this runtime does not support",
                refused(HostileModels.build(Twist.UNKNOWN_FC_OPTION)));
        assertEquals("tensor 'input' sets field 11, which this runtime does not support",
                refused(HostileModels.build(Twist.UNKNOWN_TENSOR_FIELD)));
    }

    @Test
    void bufferKeptOutsideTheFlatbuffer_isRefused() {
        assertEquals("buffer 1 sets offset, which this runtime does not support",
                refused(HostileModels.build(Twist.EXTERNAL_BUFFER)));
    }

    @Test
    void secondSubgraph_isRefused() {
        assertEquals("the model has 2 subgraphs; exactly 1 is supported",
                refused(HostileModels.build(Twist.TWO_SUBGRAPHS)));
    }

    @Test
    void shapeWhoseElementCountOverflowsALong_isRefusedNotWrapped() {
        // 65536^4 = 2^64: a plain long product wraps to 0 and passed the size limit before
        assertEquals("tensor 'input' has more than 16777216 elements (shape [65536, 65536, 65536, 65536])",
                refused(HostileModels.build(Twist.HUGE_SHAPE)));
    }

    @Test
    void vectorLengthThatOverflowsInt_isRefused() {
        byte[] m = HostileModels.valid();
        int data = HostileModels.indexOf(m, HostileModels.W0);
        HostileModels.putInt(m, data - 4, 0xFFFFFFF0); // the weights' byte vector claims 4 GiB
        assertEquals("Model.buffers[1]: a vector of 4294967280 elements runs past the end of the file", refused(m));
        HostileModels.putInt(m, data - 4, 0x40000001); // x4 bytes overflows an int
        assertTrue(refused(m).contains("a vector of 1073741825 elements runs past the end of the file"));
    }

    @Test
    void offsetsPointingOutsideTheBuffer_areRefused() {
        byte[] root = HostileModels.valid();
        HostileModels.putInt(root, 0, root.length + 100);
        assertEquals("Model: offset " + (root.length + 100) + " is outside the file (truncated or corrupt)",
                refused(root));
        byte[] vtable = HostileModels.valid();
        int table = java.nio.ByteBuffer.wrap(vtable).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
        HostileModels.putInt(vtable, table, Integer.MIN_VALUE); // pos - MIN_VALUE overflows an int
        assertEquals("Model: vtable offset -2147483648 overflows", refused(vtable));
        HostileModels.putInt(vtable, table, -vtable.length); // vtable after the end of the file
        assertTrue(refused(vtable).matches("Model: offset \\d+ is outside the file \\(truncated or corrupt\\)"));
    }

    @Test
    void operatorReadingATensorNothingWrote_isRefusedAtLoadNotAtTheFirstInference() {
        byte[] m = HostileModels.valid();
        // the operator's input vector [0, 1, 2]: make it read the output tensor 3 instead of the input
        byte[] pattern = {3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0};
        int at = indexOf(m, pattern);
        HostileModels.putInt(m, at + 4, 3);
        assertEquals("FULLY_CONNECTED (operator 0) reads tensor 'output', which nothing writes before it", refused(m));
    }

    private static int indexOf(byte[] file, byte[] p) {
        outer : for (int i = 0; i + p.length <= file.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (file[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not in the file");
    }

    @Test
    void randomByteFlipsOfAValidModel_neverCrash_onlyLoadOrModelFormatException() throws Exception {
        byte[][] seeds = {HostileModels.valid(),
                TfliteExporter.int8Model(BackendsTest.mlp(3, 4, 8, 1), BackendsTest.inputs(200, 4, 5), "fuzz")
                        .tflite()};
        Random r = new Random(20261201L);
        int loaded = 0;
        int refusedCount = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] seed = seeds[i % 2];
            byte[] junk = seed.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                junk[r.nextInt(junk.length)] ^= (byte) (1 << r.nextInt(8));
            }
            for (Backend b : BOTH) {
                try (Inference m = b.open(junk)) {
                    m.predict(new float[m.inputSize()]);
                    loaded++;
                } catch (ModelFormatException expected) {
                    refusedCount++;
                } catch (RuntimeException e) {
                    fail("mutation " + i + " on " + b + ": " + e, e);
                }
            }
        }
        assertEquals(4000, loaded + refusedCount);
        assertTrue(refusedCount > 0 && loaded > 0, "loaded " + loaded + ", refused " + refusedCount);
    }
}

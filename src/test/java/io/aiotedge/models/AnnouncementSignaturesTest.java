package io.aiotedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downlink's announcement check: this node's signature, over this name, on this key. */
class AnnouncementSignaturesTest {
    private static final String SHA = "0f".repeat(32);

    @TempDir
    Path node;
    @TempDir
    Path other;

    private static byte[] announcement(ModelSigner signer, String name, int signedVersion, int version) {
        return announcement(signer, name, signedVersion, version, true);
    }

    private static byte[] announcement(ModelSigner signer, String name, int signedVersion, int version,
            boolean withMetadataSignature) {
        String sig = signer.sign(ModelSigner.statement(name, signedVersion, SHA, 99));
        String signedFields = "{\"name\":\"" + name + "\",\"version\":" + signedVersion + ",\"sha256\":\"" + SHA
                + "\",\"size\":99}";
        String meta;
        try {
            meta = signer.sign(io.aiotedge.wire.ModelSignatures.metadataStatement(
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(signedFields)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return ("{\"name\":\"" + name + "\",\"version\":" + version + ",\"sha256\":\"" + SHA + "\",\"size\":99,"
                + "\"signature\":\"" + sig + "\""
                + (withMetadataSignature ? ",\"metadataSignature\":\"" + meta + "\"" : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reject_aV1SignatureWithoutTheMetadataSignature_isRefused() throws Exception {
        ModelSigner signer = ModelSigner.loadOrCreate(new KeyFiles(node));
        assertEquals(
                Optional.of("model announcement metadata signature does not verify with this node's model-signing key"),
                new AnnouncementSignatures(node).reject("m", announcement(signer, "m", 2, 2, false)));
    }

    @Test
    void reject_genuineAnnouncementUnderItsName_isForwarded() throws Exception {
        ModelSigner signer = ModelSigner.loadOrCreate(new KeyFiles(node));
        assertEquals(Optional.empty(), new AnnouncementSignatures(node).reject("m", announcement(signer, "m", 2, 2)));
    }

    @Test
    void reject_forgedTamperedOrMoved_givesTheReason() throws Exception {
        ModelSigner signer = ModelSigner.loadOrCreate(new KeyFiles(node));
        ModelSigner stranger = ModelSigner.loadOrCreate(new KeyFiles(other));
        AnnouncementSignatures check = new AnnouncementSignatures(node);
        String bad = "model announcement signature does not verify with this node's model-signing key";
        assertEquals(Optional.of(bad), check.reject("m", announcement(stranger, "m", 2, 2)));
        assertEquals(Optional.of(bad), check.reject("m", announcement(signer, "m", 2, 3)), "version changed");
        assertEquals(Optional.of("model announcement names 'm' but the record key is 'n'"),
                check.reject("n", announcement(signer, "m", 2, 2)));
        assertEquals(Optional.of("model announcement names 'm' but the record key is 'null'"),
                check.reject(null, announcement(signer, "m", 2, 2)));
        assertEquals(Optional.of("model announcement is not JSON"),
                check.reject("m", "{\"version\":".getBytes(StandardCharsets.UTF_8)));
        assertTrue(check.reject("m", "{\"version\":3}".getBytes(StandardCharsets.UTF_8)).orElseThrow()
                .startsWith("model announcement lacks"));
    }

    @Test
    void reject_nodeWithoutSigningKey_refusesEverything() throws Exception {
        ModelSigner stranger = ModelSigner.loadOrCreate(new KeyFiles(other));
        assertTrue(new AnnouncementSignatures(node).reject("m", announcement(stranger, "m", 1, 1)).orElseThrow()
                .startsWith("this node has no model-signing public key"));
    }
}

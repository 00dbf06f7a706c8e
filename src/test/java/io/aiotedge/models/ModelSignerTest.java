package io.aiotedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSignerTest {
    @TempDir
    Path dir;

    @Test
    void theKeyPair_isCreatedOnce_ownerOnly_andReloaded() throws Exception {
        ModelSigner a = ModelSigner.loadOrCreate(new KeyFiles(dir));
        ModelSigner b = ModelSigner.loadOrCreate(new KeyFiles(dir));
        assertEquals(ModelSigner.rawBase64(a.publicKey()), ModelSigner.rawBase64(b.publicKey()));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(new KeyFiles(dir).signingKey())));
        assertEquals(32, Base64.getDecoder().decode(ModelSigner.rawBase64(a.publicKey())).length);
    }

    @Test
    void aSignature_verifiesOnlyForItsOwnStatement() throws Exception {
        ModelSigner s = ModelSigner.loadOrCreate(new KeyFiles(dir));
        byte[] statement = ModelSigner.statement("motor", 3, "ab".repeat(32), 1234);
        String sig = s.sign(statement);
        assertTrue(ModelSigner.verify(s.publicKey(), statement, sig));
        assertFalse(ModelSigner.verify(s.publicKey(), ModelSigner.statement("motor", 4, "ab".repeat(32), 1234), sig),
                "another version");
        assertFalse(ModelSigner.verify(s.publicKey(), ModelSigner.statement("motor", 3, "ab".repeat(32), 1235), sig));
        byte[] flipped = Base64.getDecoder().decode(sig);
        flipped[0] ^= 1;
        assertFalse(ModelSigner.verify(s.publicKey(), statement, Base64.getEncoder().encodeToString(flipped)));
        assertFalse(ModelSigner.verify(s.publicKey(), statement, "not base64 !"));
    }

    @Test
    void publicKeys_parseFromRawBase64_pem_andX509() throws Exception {
        ModelSigner s = ModelSigner.loadOrCreate(new KeyFiles(dir));
        String raw = ModelSigner.rawBase64(s.publicKey());
        assertEquals(raw, ModelSigner.rawBase64(ModelSigner.parsePublicKey(raw)));
        assertEquals(raw, ModelSigner.rawBase64(ModelSigner.parsePublicKey(ModelSigner.pem(s.publicKey()))));
        assertEquals(raw, ModelSigner.rawBase64(ModelSigner.parsePublicKey(
                Base64.getEncoder().encodeToString(s.publicKey().getEncoded()))));
    }
}

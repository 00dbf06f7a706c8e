package io.aiotedge.certs;

import io.aiotedge.core.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The one password of every store in a certificate directory: the content of a file (trailing
 * line break ignored), {@code store-password} unless {@code --password-file} names another.
 * Never printed or logged.
 */
public final class StorePassword {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final int GENERATED_LENGTH = 24;

    private StorePassword() {
    }

    /** Reads the password from {@code file}; a missing or empty file is a CertsException. */
    public static char[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CertsException("Password file " + file + " does not exist (run 'certs ca' first, which "
                    + "creates store-password, or give --password-file)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CertsException("Password file " + file + " cannot be read: " + e.getMessage());
        }
        String pw = text.strip();
        if (pw.isEmpty()) {
            throw new CertsException("Password file " + file + " is empty");
        }
        return pw.toCharArray();
    }

    /** Creates {@code file} 0600 with 24 random URL-safe characters and returns them. */
    public static char[] create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        char[] pw = new char[GENERATED_LENGTH];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        PrivateFiles.write(file, (new String(pw) + "\n").getBytes(StandardCharsets.UTF_8));
        return pw;
    }
}

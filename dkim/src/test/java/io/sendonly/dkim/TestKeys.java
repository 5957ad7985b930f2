package io.sendonly.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

/** Throw-away DKIM keys for tests, written as PEM PKCS#8 the way genkey writes them. */
public final class TestKeys {
    private TestKeys() {
    }

    public static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    public static KeyPair ed25519() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** PKCS#8 PEM, as {@code openssl genpkey} writes it. */
    public static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    }

    /** Writes {@code key} to {@code file} with the given permissions, e.g. {@code rw-------}. */
    public static void write(Path file, PrivateKey key, String permissions) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, pem(key));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }
}

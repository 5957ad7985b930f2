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

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

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
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** PKCS#1 PEM of an RSA key, as opendkim-genkey ({@code openssl genrsa -traditional}) writes it; encoded by Bouncy Castle. */
    public static String pkcs1Pem(PrivateKey rsaKey) throws IOException {
        return pem("RSA PRIVATE KEY", PrivateKeyInfo.getInstance(rsaKey.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    /** Writes {@code key} to {@code file} with the given permissions, e.g. {@code rw-------}. */
    public static void write(Path file, PrivateKey key, String permissions) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, pem(key));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }
}

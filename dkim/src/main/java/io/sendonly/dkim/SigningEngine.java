package io.sendonly.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.conscrypt.Conscrypt;

/**
 * Who computes the signatures: the largest CPU cost of a signed message. rsa-sha256 goes to BoringSSL (through
 * Conscrypt, where its native library loads: 2048-bit signatures about 1.6 times as fast as the JDK's), ed25519-sha256
 * to Bouncy Castle (about ten times as fast as the JDK's; bench/sign-speed.sh). Either falls back to the JDK when it
 * is missing, and {@code -Dsendonly.dkim.engine=jdk} forces the JDK for both. The signatures are the same bytes
 * whoever computes them (PKCS#1 v1.5 and Ed25519 are deterministic). The providers are only ever asked by name,
 * never installed JVM-wide: James's TLS stays on the JDK.
 */
public final class SigningEngine {
    public static final String PROPERTY = "sendonly.dkim.engine";
    private static final SigningEngine DEFAULT = choose(System.getProperty(PROPERTY, "auto"));

    /** Empty: the JDK's default providers. */
    private final Optional<Provider> rsa;
    private final Optional<Provider> ed25519;

    private SigningEngine(Optional<Provider> rsa, Optional<Provider> ed25519) {
        this.rsa = rsa;
        this.ed25519 = ed25519;
    }

    /** The engine chosen once per JVM from {@value #PROPERTY}. */
    public static SigningEngine get() {
        return DEFAULT;
    }

    /** @param setting {@code auto} (the fast providers where they are available) or {@code jdk} */
    static SigningEngine choose(String setting) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "jdk" -> new SigningEngine(Optional.empty(), Optional.empty());
            case "auto" -> new SigningEngine(boringSsl(), bouncyCastle());
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting + ": expected auto or jdk");
        };
    }

    private static Optional<Provider> boringSsl() {
        try {
            return Conscrypt.isAvailable() ? Optional.of(Conscrypt.newProvider()) : Optional.empty();
        } catch (LinkageError notOnClassPath) {
            // A drop-in install may lack conscrypt's jar.
            return Optional.empty();
        }
    }

    private static Optional<Provider> bouncyCastle() {
        try {
            return Optional.of(new BouncyCastleProvider());
        } catch (LinkageError notOnClassPath) {
            return Optional.empty();
        }
    }

    /** For the log: who signs what. */
    public String description() {
        return "rsa-sha256 by " + rsa.map(any -> "BoringSSL (Conscrypt)").orElse("the JDK")
            + ", ed25519-sha256 by " + ed25519.map(any -> "Bouncy Castle").orElse("the JDK");
    }

    /**
     * The key in its provider's own form, once, when it is loaded: a provider would otherwise convert a JDK key at
     * every signature (Conscrypt then signs at half speed).
     */
    public PrivateKey prepare(PrivateKey key) {
        SigningAlgorithm algorithm = PrivateKeys.algorithmOf(key);
        Optional<Provider> provider = provider(algorithm);
        if (provider.isEmpty()) {
            return key;
        }
        try {
            return KeyFactory.getInstance(algorithm.jcaKeyAlgorithm(), provider.get())
                .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(algorithm.tagValue() + " key not accepted by " + provider.get().getName() + ": "
                + e.getMessage(), e);
        }
    }

    /** The b= value before base64: rsa-sha256 over the data, or (RFC 8463) Ed25519 over its SHA-256 hash. */
    byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        SigningAlgorithm algorithm = PrivateKeys.algorithmOf(key);
        Optional<Provider> provider = provider(algorithm);
        String name = algorithm.jcaSignature();
        Signature signature = provider.isPresent() ? Signature.getInstance(name, provider.get()) : Signature.getInstance(name);
        signature.initSign(key);
        signature.update(algorithm == SigningAlgorithm.RSA_SHA256 ? data : sha256(data));
        return signature.sign();
    }

    private Optional<Provider> provider(SigningAlgorithm algorithm) {
        return algorithm == SigningAlgorithm.RSA_SHA256 ? rsa : ed25519;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

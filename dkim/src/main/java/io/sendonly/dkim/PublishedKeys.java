package io.sendonly.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;


/** DKIM TXT records: what ours should say (from the private key), and the public key a published one gives. */
public final class PublishedKeys {
    /** The DER header of an Ed25519 SubjectPublicKeyInfo, before the 32 bytes of the key. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private PublishedKeys() {
    }

    /** The {@code p=} value our private key needs published ({@link #expectedRecord}); empty when it cannot be known. */
    public static Optional<String> expected(Path keyFile, String selector) {
        return expectedRecord(keyFile, selector).flatMap(PublishedKeys::publicKeyOf);
    }

    /**
     * The TXT record our private key needs published: derived for RSA; for Ed25519, the one in the
     * {@code SELECTOR.txt} genkey wrote beside it. Empty when it cannot be known.
     */
    public static Optional<String> expectedRecord(Path keyFile, String selector) {
        try {
            PrivateKey key = PrivateKeys.read(keyFile);
            if (key instanceof RSAPrivateCrtKey) {
                return publicKeyOf(key, "").map(publicKey -> DkimRecord.of(publicKey, false, false));
            }
            Path record = keyFile.resolveSibling(selector + ".txt");
            return Files.exists(record) ? Optional.of(TxtPresentation.text(Files.readString(record))) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The public key of an imported private key: derived for RSA (and checked against {@code givenP} when one is
     * given); for Ed25519, {@code givenP} (the raw key of RFC 8463), kept only if it verifies what the private key
     * signs. Empty when it cannot be had or does not match.
     */
    public static Optional<PublicKey> publicKeyOf(PrivateKey key, String givenP) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                PublicKey derived = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                boolean matches = givenP.isBlank() || publicKeyOf(DkimRecord.of(derived, false, false)).orElseThrow().equals(givenP.strip());
                return matches ? Optional.of(derived) : Optional.empty();
            }
            if (givenP.isBlank()) {
                return Optional.empty();
            }
            byte[] raw = Base64.getDecoder().decode(givenP.strip());
            byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
            System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
            System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
            PublicKey given = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            byte[] probe = "sendonly key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(given);
            verifier.update(probe);
            return verifier.verify(signature) ? Optional.of(given) : Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code p=} value of a DKIM key record, empty when the record is not one (RFC 6376 3.6.1). */
    public static Optional<String> publicKeyOf(String record) {
        String version = null;
        String key = null;
        for (String tag : record.split(";")) {
            int equals = tag.indexOf('=');
            if (equals < 0) {
                if (!tag.isBlank()) {
                    return Optional.empty();
                }
                continue;
            }
            String name = tag.substring(0, equals).trim();
            String value = tag.substring(equals + 1).replaceAll("\\s+", "");
            if (name.equals("v")) {
                version = value;
            } else if (name.equals("p")) {
                key = value;
            }
        }
        if ((version != null && !version.equals("DKIM1")) || key == null || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Base64.getDecoder().decode(key);
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

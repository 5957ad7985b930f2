package io.sendonly.dkim;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** The DNS TXT record that publishes a public key: {@code v=DKIM1; h=sha256; k=rsa; p=...} (RFC 6376, RFC 8463). */
public final class DkimRecord {
    /** An Ed25519 SubjectPublicKeyInfo is this 12-byte prefix, then the 32-byte key RFC 8463 publishes. */
    private static final int ED25519_SPKI_PREFIX = 12;

    private DkimRecord() {
    }

    /**
     * @param emailOnly {@code s=email} (opendkim-genkey -r)
     * @param testing {@code t=y} (opendkim-genkey -t)
     */
    public static String of(PublicKey publicKey, boolean emailOnly, boolean testing) {
        boolean rsa = publicKey instanceof RSAPublicKey;
        StringBuilder record = new StringBuilder("v=DKIM1; ");
        if (rsa) {
            record.append("h=sha256; ");
        }
        record.append("k=").append(rsa ? "rsa" : "ed25519").append("; ");
        if (emailOnly) {
            record.append("s=email; ");
        }
        if (testing) {
            record.append("t=y; ");
        }
        return record.append("p=").append(Base64.getEncoder().encodeToString(publicKeyData(publicKey))).toString();
    }

    private static byte[] publicKeyData(PublicKey publicKey) {
        byte[] encoded = publicKey.getEncoded();
        if (publicKey instanceof RSAPublicKey) {
            return encoded;
        }
        return Arrays.copyOfRange(encoded, ED25519_SPKI_PREFIX, encoded.length);
    }
}

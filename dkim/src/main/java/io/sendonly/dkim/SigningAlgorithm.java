package io.sendonly.dkim;

/** The DKIM signing algorithms we produce: RFC 6376 rsa-sha256 and RFC 8463 ed25519-sha256. */
public enum SigningAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "RSA", "SHA256withRSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519", "Ed25519");

    private final String tagValue;
    private final String keyType;
    private final String jcaKeyAlgorithm;
    private final String jcaSignature;

    SigningAlgorithm(String tagValue, String keyType, String jcaKeyAlgorithm, String jcaSignature) {
        this.tagValue = tagValue;
        this.keyType = keyType;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
        this.jcaSignature = jcaSignature;
    }

    /** The {@code a=} tag value. */
    public String tagValue() {
        return tagValue;
    }

    /** The {@code k=} value of the DNS record. */
    public String keyType() {
        return keyType;
    }

    /** The key algorithm's JCA name (KeyFactory). */
    String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /** The signature's JCA name (Signature). */
    String jcaSignature() {
        return jcaSignature;
    }
}

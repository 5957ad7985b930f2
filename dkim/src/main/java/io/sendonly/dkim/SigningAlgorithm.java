package io.sendonly.dkim;

/** The DKIM signing algorithms we produce: RFC 6376 rsa-sha256 and RFC 8463 ed25519-sha256. */
public enum SigningAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tagValue;
    private final String keyType;

    SigningAlgorithm(String tagValue, String keyType) {
        this.tagValue = tagValue;
        this.keyType = keyType;
    }

    /** The {@code a=} tag value. */
    public String tagValue() {
        return tagValue;
    }

    /** The {@code k=} value of the DNS record. */
    public String keyType() {
        return keyType;
    }
}

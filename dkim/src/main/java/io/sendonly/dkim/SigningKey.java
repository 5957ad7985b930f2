package io.sendonly.dkim;

import java.security.PrivateKey;

/** A loaded private key and the d= and s= it signs for. Never printed: {@link #toString()} omits the key. */
public record SigningKey(String domain, String selector, PrivateKey privateKey) {
    public SigningAlgorithm algorithm() {
        return PrivateKeys.algorithmOf(privateKey);
    }

    @Override
    public String toString() {
        return "SigningKey[d=" + domain + ", s=" + selector + ", a=" + algorithm().tagValue() + "]";
    }
}

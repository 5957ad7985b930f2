package io.sendonly.tls;

/** The kind of policy a destination's TLS was held to, as TLS-RPT (RFC 8460 section 4.4) names it. */
public enum PolicyType {
    TLSA("tlsa"),
    STS("sts"),
    NO_POLICY_FOUND("no-policy-found");

    private final String rfcName;

    PolicyType(String rfcName) {
        this.rfcName = rfcName;
    }

    public String rfcName() {
        return rfcName;
    }
}

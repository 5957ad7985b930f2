package io.sendonly.tls;

import java.time.Duration;
import java.util.List;

/**
 * A domain's MTA-STS policy (RFC 8461 section 3.2), as fetched and cached.
 *
 * @param id the {@code id=} of the {@code _mta-sts} TXT record it was fetched for
 * @param lines the policy as served, for TLS-RPT's policy-string
 */
public record StsPolicy(String domain, Mode mode, List<String> mxPatterns, Duration maxAge, String id, List<String> lines) {
    public enum Mode {
        /** MX hosts must match a pattern and present a valid certificate for their name, or the mail waits. */
        ENFORCE,
        /** Deliver as without a policy; failures are only reported. */
        TESTING,
        NONE
    }

    /** RFC 8461 section 4.1: a pattern {@code *.example.com} matches one label, no more. */
    public boolean allowsMx(String host) {
        String name = lower(host);
        for (String pattern : mxPatterns) {
            String wanted = lower(pattern);
            if (wanted.startsWith("*.")) {
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(dot + 1).equals(wanted.substring(2))) {
                    return true;
                }
            } else if (name.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return trimmed.toLowerCase(java.util.Locale.ROOT);
    }
}

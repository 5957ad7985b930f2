package io.sendonly.preflight;

import java.net.InetAddress;

/** An SPF evaluation (RFC 7208 check_host) of mail from {@code postmaster@domain} sent from {@code address}. */
public interface SpfEvaluator {
    /** @return pass, fail, softfail, neutral, none, temperror or permerror */
    String evaluate(InetAddress address, String domain, String heloName);
}

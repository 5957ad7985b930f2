package io.sendonly.tls;

import java.util.List;
import java.util.Optional;

/**
 * One TLS negotiation with one host of one destination, as TLS-RPT counts it: the policy in force (type, the policy
 * strings: TLSA records or MTA-STS policy lines), the host, and the failure if there was one.
 *
 * @param policyDomain the recipient domain (the policy domain of RFC 8460)
 */
public record TlsResult(String policyDomain, PolicyType policyType, List<String> policyStrings, String receivingMxHostname,
                        String receivingIp, Optional<TlsFailure> failure) {
}

package io.sendonly.tls.rpt;

import java.util.List;
import java.util.Locale;

import io.sendonly.tls.PolicyType;
import io.sendonly.tls.TlsResult;

/**
 * One {@code policies[]} entry of a TLS-RPT report (RFC 8460 section 4.4): the policy a domain's TLS was held to.
 *
 * @param mxHosts the report's {@code mx-host}: the {@code mx:} patterns of an MTA-STS policy, the host a TLSA
 *     record set belongs to (TLSA records are per host, so each host is its own policy); none without a policy
 */
public record PolicyKey(String domain, PolicyType type, List<String> strings, List<String> mxHosts) {
    public PolicyKey {
        strings = List.copyOf(strings);
        mxHosts = List.copyOf(mxHosts);
    }

    static PolicyKey of(TlsResult result) {
        List<String> mxHosts = switch (result.policyType()) {
            case STS -> result.policyStrings().stream().map(String::strip).filter(line -> line.startsWith("mx:"))
                .map(line -> line.substring(3).strip()).toList();
            case TLSA -> List.of(hostName(result.receivingMxHostname()));
            case NO_POLICY_FOUND -> List.of();
        };
        return new PolicyKey(hostName(result.policyDomain()), result.policyType(), result.policyStrings(), mxHosts);
    }

    /** Lower case, without the root's dot: {@code Example.COM.} and {@code example.com} are one domain. */
    static String hostName(String name) {
        String trimmed = name.strip();
        return (trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed).toLowerCase(Locale.ROOT);
    }
}

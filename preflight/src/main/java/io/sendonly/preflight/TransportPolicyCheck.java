package io.sendonly.preflight;

import java.util.List;
import java.util.Locale;

/**
 * Our own domains' MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) records: optional for a sender, as they protect and
 * report mail sent to the domain; information or a warning, never a failure.
 */
final class TransportPolicyCheck {
    private TransportPolicyCheck() {
    }

    static Check mtaSts(String domain, Dns dns) {
        String name = "_mta-sts." + domain;
        return check(Check.MTA_STS, name, "v=stsv1", dns, "protects mail sent to " + domain + " from downgrade; it also needs"
            + " the policy file at https://mta-sts." + domain + "/.well-known/mta-sts.txt; raise id= whenever the policy changes",
            Check.txt(name, "v=STSv1; id=1"));
    }

    static Check tlsRpt(String domain, Dns dns) {
        String name = "_smtp._tls." + domain;
        return check(Check.TLS_RPT, name, "v=tlsrptv1", dns, "asks senders for daily reports of TLS failures on mail to " + domain,
            Check.txt(name, "v=TLSRPTv1; rua=mailto:tls-reports@" + domain));
    }

    private static Check check(String check, String name, String version, Dns dns, String purpose, String suggestion) {
        try {
            List<String> records = dns.txt(name).stream()
                .filter(txt -> txt.replace(" ", "").toLowerCase(Locale.ROOT).startsWith(version)).toList();
            if (records.size() == 1) {
                return Check.of(check, Status.INFO, name + " is published: " + records.get(0));
            }
            if (records.size() > 1) {
                return Check.of(check, Status.WARN, name + " has " + records.size() + " records, which receivers ignore; keep one");
            }
            return Check.publish(check, Status.INFO, "optional, not published: " + purpose, suggestion);
        } catch (Dns.DnsFailure e) {
            return Check.of(check, Status.INFO, "not checked: " + e.getMessage());
        }
    }
}

package io.sendonly.sign;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import io.sendonly.dkim.OrganizationalDomain;

/**
 * Whether a message's From domains can align under DMARC (relaxed, RFC 7489 §3.1) once it leaves: each From domain
 * must share its organizational domain with the d= of a DKIM key that will sign the message, or with the envelope
 * sender's domain (SPF alignment, should SPF pass: the preflight checks that). A null sender aligns with nothing; a
 * message with no From address cannot align.
 */
public final class FromAlignment {
    /**
     * @param fromDomains the From domains, for the log and the event
     * @param problem     why not, as the SMTP reply says it; empty when aligned
     */
    public record Verdict(String fromDomains, Optional<String> problem) {
        public boolean aligned() {
            return problem.isEmpty();
        }
    }

    private FromAlignment() {
    }

    /**
     * @param from       the From header, qualified as it will be signed
     * @param keyDomains the d= of each key that will sign the message
     */
    public static Verdict judge(FromHeader from, List<String> keyDomains, MaybeSender sender) {
        Set<String> domains = new LinkedHashSet<>();
        for (String address : from.addresses()) {
            int at = address.lastIndexOf('@');
            if (at < 0 || at == address.length() - 1) {
                return new Verdict("", Optional.of("From address " + address + " has no domain: DMARC cannot align"));
            }
            domains.add(address.substring(at + 1).toLowerCase(Locale.ROOT));
        }
        String fromDomains = String.join(",", domains);
        if (from.unparsable().isPresent()) {
            return new Verdict(fromDomains, Optional.of("From header does not parse: DMARC cannot align"));
        }
        if (domains.isEmpty()) {
            return new Verdict(fromDomains, Optional.of("Message has no From address: DMARC cannot align"));
        }
        Optional<String> senderDomain = sender.asOptional().map(MailAddress::getDomain).map(domain -> domain.asString());
        for (String domain : domains) {
            boolean byKey = keyDomains.stream().anyMatch(key -> OrganizationalDomain.aligned(domain, key));
            boolean bySender = senderDomain.filter(envelope -> OrganizationalDomain.aligned(domain, envelope)).isPresent();
            if (!byKey && !bySender) {
                String dkim = keyDomains.isEmpty() ? "no DKIM key for it" : "its DKIM key is for another domain (d=" + String.join(",", keyDomains) + ")";
                String spf = sender.asOptional().map(address -> "the envelope sender " + address.asString() + " is another domain")
                    .orElse("the envelope sender is null (<>)");
                return new Verdict(fromDomains, Optional.of("From domain " + domain + " cannot align with DMARC: " + dkim + " and " + spf));
            }
        }
        return new Verdict(fromDomains, Optional.empty());
    }
}

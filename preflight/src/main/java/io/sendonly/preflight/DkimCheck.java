package io.sendonly.preflight;

import java.util.Optional;

import io.sendonly.dkim.KeyRecordCheck;
import io.sendonly.dkim.PublishedKeys;

/** Does the DNS publish the public half of the key that signs the domain's mail? */
final class DkimCheck {
    private DkimCheck() {
    }

    static Check check(SendingDomain domain, Dns dns) {
        if (domain.signingKey().isEmpty()) {
            return Check.of(Check.DKIM, Status.FAIL, "no SigningTable entry signs mail from " + domain.domain()
                + ": make a key (sendonly keys new " + domain.domain() + " SELECTOR) and sign with it (sendonly signing add '*@"
                + domain.domain() + "' SELECTOR._domainkey." + domain.domain() + ")");
        }
        SendingDomain.SigningKey key = domain.signingKey().get();
        String name = KeyRecordCheck.dnsName(key.selector(), key.domain());
        KeyRecordCheck result;
        try {
            result = KeyRecordCheck.of(key.keyFile(), key.selector(), dns.txt(name));
        } catch (Dns.DnsFailure e) {
            return Check.of(Check.DKIM, Status.WARN, "not checked: " + e.getMessage());
        }
        Optional<String> record = PublishedKeys.expectedRecord(key.keyFile(), key.selector()).map(text -> Check.txt(name, text));
        String unknown = record.isEmpty() ? " (the record to publish is unknown: an Ed25519 key needs its " + key.selector()
            + ".txt beside it)" : "";
        return switch (result.status()) {
            case PUBLISHED -> Check.of(Check.DKIM, Status.PASS, name + " publishes the public key of " + key.name());
            case MISSING -> new Check(Check.DKIM, Status.FAIL, name + " has no DKIM record: receivers cannot verify the"
                + " signatures made with key " + key.name() + unknown, record);
            case MISMATCH -> new Check(Check.DKIM, Status.FAIL, name + " publishes another key than " + key.name()
                + "'s: every signature fails verification" + unknown, record);
            case SYNTAX_ERROR -> new Check(Check.DKIM, Status.FAIL, name + " is not a valid DKIM key record: "
                + result.published().orElse("") + unknown, record);
        };
    }
}

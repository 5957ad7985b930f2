package io.sendonly.preflight;

import io.sendonly.dkim.OrganizationalDomain;
/**
 * Can mail with a From address in the domain pass DMARC (RFC 7489 3.1): is the signing key's d= in the same
 * organisational domain (the same domain with {@code adkim=s}), or does SPF pass for an envelope sender in the
 * domain? The envelope sender is taken to be in the From domain, as it is for mail the applications send as
 * {@code app@DOMAIN}.
 */
final class AlignmentCheck {
    private AlignmentCheck() {
    }

    static Check check(SendingDomain domain, DmarcCheck.Dmarc dmarc, Status dkim, Status spf) {
        String from = domain.domain();
        boolean keyAligned = domain.signingKey().map(key -> dmarc.strictDkim() ? key.domain().equalsIgnoreCase(from)
            : OrganizationalDomain.aligned(key.domain(), from)).orElse(false);
        String keyDomain = domain.signingKey().map(key -> "d=" + key.domain()).orElse("no signing key");
        if (keyAligned && dkim == Status.PASS) {
            return Check.of(Check.ALIGNMENT, Status.PASS, "DKIM aligns: " + keyDomain + " and From " + from + " share the"
                + (dmarc.strictDkim() ? " domain (adkim=s)" : " organisational domain " + OrganizationalDomain.of(from)));
        }
        if (spf == Status.PASS) {
            return Check.of(Check.ALIGNMENT, keyAligned ? Status.WARN : Status.PASS, "SPF aligns: it passes for envelope senders"
                + " in " + from + (keyAligned ? "; DKIM would align once its record is published (forwarding breaks SPF,"
                + " not DKIM)" : "; DKIM does not (" + keyDomain + "), so forwarded mail fails DMARC"));
        }
        if (keyAligned) {
            return Check.of(Check.ALIGNMENT, Status.FAIL, "From " + from + " aligns with " + keyDomain + " only once that key's"
                + " record is published (see dkim), and SPF does not pass");
        }
        String dkimProblem = domain.signingKey().isPresent() ? keyDomain + " is in another " + (dmarc.strictDkim()
            ? "domain (adkim=s)" : "organisational domain") : "no key signs its mail";
        return Check.of(Check.ALIGNMENT, Status.FAIL, "From " + from + " cannot align: " + dkimProblem
            + " and SPF does not pass for " + from + "; sign its mail with a key of " + from);
    }
}

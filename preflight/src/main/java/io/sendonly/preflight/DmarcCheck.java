package io.sendonly.preflight;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.sendonly.dkim.OrganizationalDomain;

/** The domain's DMARC record (RFC 7489): at {@code _dmarc.DOMAIN}, else at its organisational domain. */
final class DmarcCheck {
    /**
     * What was found.
     *
     * @param at where the record was found, or where one should go
     * @param tags the record's tags, lower-case names; empty when there is none
     */
    record Dmarc(String at, Map<String, String> tags, Check check) {
        /** Strict DKIM alignment ({@code adkim=s}): d= must be the From domain itself. */
        boolean strictDkim() {
            return "s".equalsIgnoreCase(tags.getOrDefault("adkim", "r"));
        }
    }

    private DmarcCheck() {
    }

    static Dmarc lookup(String domain, Dns dns) {
        String organisational = OrganizationalDomain.of(domain);
        String suggestion = Check.txt("_dmarc." + organisational, "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + organisational);
        try {
            String at = "_dmarc." + domain;
            List<String> records = records(dns.txt(at));
            if (records.isEmpty() && !organisational.equalsIgnoreCase(domain)) {
                at = "_dmarc." + organisational;
                records = records(dns.txt(at));
            }
            if (records.isEmpty()) {
                return new Dmarc("_dmarc." + organisational, Map.of(), Check.publish(Check.DMARC, Status.FAIL,
                    "no DMARC record for " + domain + (organisational.equalsIgnoreCase(domain) ? "" : " nor " + organisational)
                        + ": Gmail and Yahoo require one from bulk senders (p=none is enough); rua= receives the aggregate"
                        + " reports, at an address you read", suggestion));
            }
            if (records.size() > 1) {
                return new Dmarc(at, Map.of(), Check.publish(Check.DMARC, Status.FAIL, at + " has " + records.size()
                    + " DMARC records: receivers then ignore them all; keep one", suggestion));
            }
            Map<String, String> tags = tags(records.get(0));
            boolean inherited = !at.equalsIgnoreCase("_dmarc." + domain);
            String policy = inherited && tags.containsKey("sp") ? tags.get("sp") : tags.getOrDefault("p", "");
            String where = at + (inherited ? " (the organisational domain's" + (tags.containsKey("sp") ? ", its sp=" : "") + ")" : "");
            return new Dmarc(at, tags, switch (policy.toLowerCase(Locale.ROOT)) {
                case "reject", "quarantine" -> Check.of(Check.DMARC, Status.PASS, where + " asks receivers to " + policy
                    + " mail that fails DMARC");
                case "none" -> Check.of(Check.DMARC, Status.WARN, where + " has policy none: receivers only report. Gmail and"
                    + " Yahoo require a DMARC record from bulk senders, and p=none meets that; move to quarantine or reject once"
                    + " the rua= reports show all your mail aligned");
                default -> Check.publish(Check.DMARC, Status.FAIL, where + " has no valid policy (p=" + policy + "): expected"
                    + " none, quarantine or reject; receivers ignore the record", suggestion);
            });
        } catch (Dns.DnsFailure e) {
            return new Dmarc("_dmarc." + organisational, Map.of(), Check.of(Check.DMARC, Status.WARN,
                "not checked: " + e.getMessage()));
        }
    }

    private static List<String> records(List<String> txt) {
        return txt.stream().filter(record -> record.replace(" ", "").toLowerCase(Locale.ROOT).startsWith("v=dmarc1")).toList();
    }

    private static Map<String, String> tags(String record) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : record.split(";")) {
            int equals = tag.indexOf('=');
            if (equals > 0) {
                tags.put(tag.substring(0, equals).trim().toLowerCase(Locale.ROOT), tag.substring(equals + 1).trim());
            }
        }
        return tags;
    }
}

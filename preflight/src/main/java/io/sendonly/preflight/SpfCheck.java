package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Does the domain's SPF record authorise the addresses its mail leaves from (RFC 7208, evaluated by jSPF)? */
final class SpfCheck {
    /** The last {@code all} term, before which new mechanisms go. */
    private static final Pattern ALL = Pattern.compile("(?i)\\s[-~?+]?all\\s*$");

    private SpfCheck() {
    }

    static Check check(String domain, SendingAddresses from, String heloName, SpfEvaluator spf, Dns dns) {
        if (from.addresses().isEmpty()) {
            return Check.of(Check.SPF, Status.WARN, "not evaluated: " + from.problem().orElse("no sending address"));
        }
        Map<InetAddress, String> results = new LinkedHashMap<>();
        from.addresses().forEach(address -> results.put(address, spf.evaluate(address, domain, heloName)));
        List<InetAddress> uncovered = results.entrySet().stream().filter(result -> !result.getValue().equals("pass"))
            .map(Map.Entry::getKey).toList();
        String provider = from.smartHosts().map(hosts -> "; mail through a smart host needs your provider's include: in the"
            + " record (its documentation names it), as the provider may send from other addresses than these").orElse("");
        if (uncovered.isEmpty()) {
            return Check.of(Check.SPF, Status.PASS, "the SPF record of " + domain + " authorises " + from.describe() + provider);
        }
        String result = worst(results.values());
        String addresses = String.join(", ", uncovered.stream().map(InetAddress::getHostAddress).toList());
        Optional<String> published = published(domain, dns);
        String record = Check.txt(domain, suggestion(published, uncovered));
        return switch (result) {
            case "temperror" -> Check.of(Check.SPF, Status.WARN, "could not be evaluated (temperror: a DNS lookup failed)"
                + " for " + addresses);
            case "softfail" -> Check.publish(Check.SPF, Status.WARN, "the SPF record of " + domain + " soft-fails " + addresses
                + " (~all): receivers accept the mail but count it against you; add the address" + provider, record);
            case "none" -> Check.publish(Check.SPF, Status.FAIL, domain + " publishes no SPF record: receivers cannot tell "
                + from.describe() + " may send its mail" + provider, record);
            case "permerror" -> Check.publish(Check.SPF, Status.FAIL, "the SPF record of " + domain + " is invalid (permerror),"
                + " receivers ignore it: " + published.orElse("several records?") + provider, record);
            case "neutral" -> Check.publish(Check.SPF, Status.FAIL, "the SPF record of " + domain + " says nothing about "
                + addresses + " (neutral), which receivers treat as no SPF" + provider, record);
            default -> Check.publish(Check.SPF, Status.FAIL, "the SPF record of " + domain + " does not authorise " + addresses
                + " (" + result + "): receivers may refuse the mail" + provider, record);
        };
    }

    /** The most telling of several results: an invalid record, then an error, then the weakest answer. */
    private static String worst(Iterable<String> results) {
        List<String> order = List.of("permerror", "none", "fail", "neutral", "softfail", "temperror");
        String worst = "pass";
        for (String result : results) {
            if (order.contains(result) && (!order.contains(worst) || order.indexOf(result) < order.indexOf(worst))) {
                worst = result;
            }
        }
        return worst;
    }

    private static Optional<String> published(String domain, Dns dns) {
        try {
            return dns.txt(domain).stream().filter(txt -> txt.toLowerCase(Locale.ROOT).startsWith("v=spf1")).findFirst();
        } catch (Dns.DnsFailure e) {
            return Optional.empty();
        }
    }

    /** The published record with the missing addresses before its {@code all}, or a new record naming only them. */
    static String suggestion(Optional<String> published, List<InetAddress> missing) {
        String mechanisms = String.join(" ", missing.stream().map(SendingAddresses::mechanism).toList());
        if (published.isEmpty()) {
            return "v=spf1 " + mechanisms + " -all";
        }
        String record = published.get().strip();
        Matcher all = ALL.matcher(record);
        return all.find() ? record.substring(0, all.start()) + " " + mechanisms + record.substring(all.start())
            : record + " " + mechanisms;
    }
}

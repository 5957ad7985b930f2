package io.sendonly.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The sender rules Gmail and Yahoo enforce since 2024, answered from the checks of every sending domain. Bulk senders
 * are those that send about 5,000 messages a day or more to Gmail addresses.
 */
public final class Checklist {
    /**
     * @param appliesTo {@code all senders} or {@code bulk senders}
     */
    public record Item(String rule, String appliesTo, Status status, String detail) {
    }

    private static final String ALL = "all senders";
    private static final String BULK = "bulk senders";

    private Checklist() {
    }

    static List<Item> of(List<DomainReport> domains) {
        List<Item> items = new ArrayList<>();
        items.add(item("SPF or DKIM passes", ALL, domains,
            domain -> domain.status(Check.SPF) == Status.PASS || domain.status(Check.DKIM) == Status.PASS, Status.FAIL));
        items.add(item("forward and reverse DNS of the sending address are valid", ALL, domains,
            domain -> domain.status(Check.PTR) == Status.PASS, Status.FAIL));
        items.add(new Item("TLS for transmission", ALL, Status.PASS, "delivery uses STARTTLS whenever the receiving server offers"
            + " it, as Gmail and Yahoo do; smart hosts as conf/routes says (--starttls, --ssl)"));
        items.add(item("SPF and DKIM both pass", BULK, domains,
            domain -> domain.status(Check.SPF) == Status.PASS && domain.status(Check.DKIM) == Status.PASS, Status.FAIL));
        items.add(item("a DMARC record is published (p=none is enough)", BULK, domains,
            domain -> domain.status(Check.DMARC) != Status.FAIL, Status.FAIL));
        items.add(item("the From domain aligns with the SPF or DKIM domain", BULK, domains,
            domain -> domain.status(Check.ALIGNMENT) != Status.FAIL, Status.FAIL));
        return List.copyOf(items);
    }

    private static Item item(String rule, String appliesTo, List<DomainReport> domains, Predicate<DomainReport> met, Status otherwise) {
        List<String> unmet = domains.stream().filter(met.negate()).map(DomainReport::domain).toList();
        return unmet.isEmpty()
            ? new Item(rule, appliesTo, Status.PASS, domains.isEmpty() ? "no sending domain" : "met by every sending domain")
            : new Item(rule, appliesTo, otherwise, "not met by " + String.join(", ", unmet));
    }
}

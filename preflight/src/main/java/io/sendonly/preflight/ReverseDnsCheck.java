package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.xbill.DNS.ReverseMap;

/**
 * Forward-confirmed reverse DNS of the sending addresses (a PTR name that resolves back to the address), and whether
 * the HELO name is that name, or at least resolves to the address.
 */
final class ReverseDnsCheck {
    /** @param confirmed the PTR names of the addresses that resolve back to them */
    record Result(Check ptr, List<String> confirmed) {
    }

    private ReverseDnsCheck() {
    }

    /** @param wanted the name to ask for in a missing PTR: the HELO name, which should be it */
    static Result ptr(SendingAddresses from, String wanted, Dns dns) {
        if (from.addresses().isEmpty()) {
            return new Result(Check.of(Check.PTR, Status.WARN, "not checked: " + from.problem().orElse("no sending address")), List.of());
        }
        List<String> confirmed = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        String via = from.smartHosts().map(hosts -> " (of smart host " + hosts + "; its provider sets it)").orElse("");
        for (InetAddress address : from.addresses()) {
            String reverse = ReverseMap.fromAddress(address).toString();
            List<String> names;
            try {
                names = dns.names(address);
            } catch (Dns.DnsFailure e) {
                return new Result(Check.of(Check.PTR, Status.WARN, "not checked: " + e.getMessage()), confirmed);
            }
            if (names.isEmpty()) {
                return new Result(Check.publish(Check.PTR, Status.FAIL, address.getHostAddress() + via + from.privateHint()
                    + " has no PTR record:"
                    + " Gmail and Yahoo refuse mail from addresses without reverse DNS; the owner of the address (your hosting"
                    + " provider's control panel) sets it, to the HELO name", reverse + " PTR " + wanted + "."), confirmed);
            }
            List<String> confirming = new ArrayList<>();
            for (String name : names) {
                try {
                    if (dns.addresses(name).contains(address)) {
                        confirming.add(name);
                    }
                } catch (Dns.DnsFailure e) {
                    return new Result(Check.of(Check.PTR, Status.WARN, "not checked: " + e.getMessage()), confirmed);
                }
            }
            if (confirming.isEmpty()) {
                String name = names.get(0);
                return new Result(Check.publish(Check.PTR, Status.FAIL, address.getHostAddress() + via + " has PTR " + name
                    + ", but " + name + " does not resolve back to it (not forward-confirmed): receivers treat that as no"
                    + " reverse DNS", name + ". A " + address.getHostAddress()), confirmed);
            }
            confirmed.addAll(confirming);
            passed.add(address.getHostAddress() + " is " + confirming.get(0));
        }
        return new Result(Check.of(Check.PTR, Status.PASS, "forward-confirmed reverse DNS" + via + ": " + String.join(", ", passed)),
            confirmed);
    }

    /** Only for direct delivery: through a smart host, receivers see the smart host's HELO. */
    static Check helo(SendingAddresses from, String heloName, List<String> confirmed, Dns dns) {
        if (from.smartHosts().isPresent()) {
            return Check.of(Check.HELO, Status.INFO, "mail leaves through smart host " + from.smartHosts().get()
                + ", which greets receivers with its own name");
        }
        if (from.addresses().isEmpty()) {
            return Check.of(Check.HELO, Status.WARN, "not checked: " + from.problem().orElse("no sending address"));
        }
        String name = heloName.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (confirmed.stream().anyMatch(ptr -> ptr.equalsIgnoreCase(name))) {
            return Check.of(Check.HELO, Status.PASS, "the HELO name " + heloName + " is the PTR name of the sending address");
        }
        String advice = "; set <helloName> of smtpserver.xml to " + (confirmed.isEmpty() ? "the PTR name of the address" : confirmed.get(0));
        try {
            List<InetAddress> addresses = dns.addresses(name);
            if (addresses.stream().anyMatch(from.addresses()::contains)) {
                return Check.of(Check.HELO, Status.WARN, "the HELO name " + heloName + " resolves to the sending address but is"
                    + " not its PTR name" + advice);
            }
            return Check.of(Check.HELO, Status.FAIL, "the HELO name " + heloName + " does not resolve to " + from.describe()
                + ": receivers count a HELO that is not a name of the sender against it" + advice);
        } catch (Dns.DnsFailure e) {
            return Check.of(Check.HELO, Status.WARN, "not checked: " + e.getMessage());
        }
    }
}

package io.sendonly.preflight;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The addresses receivers see a domain's mail come from: this host's egress address for direct delivery, the smart
 * hosts' addresses for a routed domain (an approximation: a provider may send from others).
 *
 * @param problem why there are none, when there are none
 */
record SendingAddresses(List<InetAddress> addresses, Optional<String> smartHosts, Optional<String> problem) {
    static SendingAddresses of(SendingDomain domain, Optional<InetAddress> egress, Dns dns) {
        if (domain.direct()) {
            return new SendingAddresses(egress.stream().toList(), Optional.empty(), egress.isPresent() ? Optional.empty()
                : Optional.of("this host's address toward the internet is unknown (no route): set egressAddress in conf/preflight.xml"));
        }
        List<InetAddress> addresses = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String host : domain.smartHosts()) {
            try {
                List<InetAddress> found = dns.addresses(host);
                if (found.isEmpty()) {
                    problems.add("smart host " + host + " has no address");
                }
                found.stream().filter(address -> !addresses.contains(address)).forEach(addresses::add);
            } catch (Dns.DnsFailure e) {
                problems.add("smart host " + host + ": " + e.getMessage());
            }
        }
        return new SendingAddresses(addresses, Optional.of(String.join(", ", domain.smartHosts())),
            addresses.isEmpty() ? Optional.of(String.join("; ", problems)) : Optional.empty());
    }

    /** "203.0.113.5" or "smart host relay.example (192.0.2.7)". */
    String describe() {
        String list = String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
        return smartHosts.map(hosts -> "smart host " + hosts + " (" + list + ")").orElse(list + privateHint());
    }

    /** Receivers never see a private address: behind NAT the public one must be named. */
    String privateHint() {
        return smartHosts.isEmpty() && addresses.stream().anyMatch(InetAddress::isSiteLocalAddress)
            ? " (a private address: behind NAT, name the public one as egressAddress in conf/preflight.xml)" : "";
    }

    static String mechanism(InetAddress address) {
        return (address instanceof Inet6Address ? "ip6:" : "ip4:") + address.getHostAddress();
    }
}

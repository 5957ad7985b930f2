package io.sendonly.server.accept;

import java.net.InetSocketAddress;
import java.util.List;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.net.InetAddresses;

/**
 * Parses an SMTP {@code <bind>} list, {@code 127.0.0.1:25,[::1]:25}: IPv4 literals, bracketed IPv6 literals or
 * host names, each with a port. James 3.8.1 splits on every ':' and so cannot bind an IPv6 address.
 */
public final class ListenAddresses {
    private ListenAddresses() {
    }

    public static List<InetSocketAddress> parse(String bind) {
        ImmutableList.Builder<InetSocketAddress> addresses = ImmutableList.builder();
        for (String entry : Splitter.on(',').trimResults().omitEmptyStrings().split(bind)) {
            addresses.add(parseOne(entry));
        }
        List<InetSocketAddress> result = addresses.build();
        if (result.isEmpty()) {
            throw new IllegalArgumentException("bind: no address given");
        }
        return result;
    }

    private static InetSocketAddress parseOne(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("bind: '" + entry + "' is not host:port (IPv6 as [::1]:port)");
        }
        String host = entry.substring(0, colon);
        int port = parsePort(entry, entry.substring(colon + 1));
        if (host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            if (!InetAddresses.isInetAddress(literal)) {
                throw new IllegalArgumentException("bind: '" + entry + "' has an invalid IPv6 address");
            }
            return new InetSocketAddress(InetAddresses.forString(literal), port);
        }
        if (host.contains(":")) {
            throw new IllegalArgumentException("bind: '" + entry + "': write IPv6 addresses in brackets, [::1]:port");
        }
        if (InetAddresses.isInetAddress(host)) {
            return new InetSocketAddress(InetAddresses.forString(host), port);
        }
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("bind: cannot resolve '" + host + "'");
        }
        return resolved;
    }

    private static int parsePort(String entry, String port) {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("bind: '" + entry + "' has an invalid port: expected 0 to 65535");
        }
        return Integer.parseInt(port);
    }
}

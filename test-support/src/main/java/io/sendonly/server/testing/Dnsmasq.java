package io.sendonly.server.testing;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: {@code dnsmasq} as a child process, answering only the records given, on one
 * loopback address and port 53 (James's dnsjava resolvers always query port 53). It binds that address alone
 * ({@code --bind-interfaces}), reads no configuration file, no /etc/hosts, no /etc/resolv.conf, forwards nothing,
 * and answers NXDOMAIN for any other name under the {@link Builder#localDomain local domains}.
 *
 * <p>Binding port 53 needs root (or CAP_NET_BIND_SERVICE). A DNS server already listening on port 53 of
 * <em>all</em> addresses (0.0.0.0:53, e.g. the Debian {@code dnsmasq} package's service in its default
 * configuration) makes the bind fail: Linux refuses a specific TCP bind next to a wildcard listener.
 * {@link #start} then throws {@link PortTakenException}.
 */
public final class Dnsmasq implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    /** Queried until this dnsmasq logs it: an answer from another DNS server on port 53 does not count. */
    private static final String PROBE = "dnsmasq-ready.invalid";

    private final ChildDaemon daemon;
    private final String address;

    private Dnsmasq(ChildDaemon daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    /** The dnsmasq executable on PATH, /usr/sbin or /sbin (not on a non-root user's PATH on Debian). */
    public static Optional<Path> executable() {
        return ChildDaemon.executable("dnsmasq");
    }

    /** A dnsmasq listening on {@code address} (a 127.0.0.0/8 address other than those of other services), port 53. */
    public static Builder on(String address) {
        return new Builder(address);
    }

    public String address() {
        return address;
    }

    /** What dnsmasq logged so far (start-up, every query), for failure messages. */
    public String log() {
        return daemon.log();
    }

    @Override
    public void close() {
        daemon.close();
    }

    /** Port 53 of the address is taken, e.g. by a DNS server listening on all addresses. */
    public static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    public static final class Builder {
        private final String address;
        private final List<String> records = new ArrayList<>();

        private Builder(String address) {
            this.address = address;
        }

        /** {@code domain MX 10 exchange}. */
        public Builder mx(String domain, String exchange) {
            return mx(domain, exchange, 10);
        }

        /** {@code domain MX preference exchange}. */
        public Builder mx(String domain, String exchange, int preference) {
            records.add("--mx-host=" + domain + "," + exchange + "," + preference);
            return this;
        }

        /** {@code name A ip} (and the matching PTR). */
        public Builder a(String name, String ip) {
            records.add("--host-record=" + name + "," + ip);
            return this;
        }

        /** {@code name A ip} without the PTR that {@link #a} adds (dnsmasq's {@code --address}, which covers subdomains too). */
        public Builder aWithoutPtr(String name, String ip) {
            records.add("--address=/" + name + "/" + ip);
            return this;
        }

        /** {@code ip PTR name} alone: name need not resolve back to ip. */
        public Builder ptr(String ip, String name) {
            try {
                records.add("--ptr-record=" + ReverseMap.fromAddress(ip).toString(true) + "," + name);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip + " is not an address", e);
            }
            return this;
        }

        /** {@code name TXT value}; dnsmasq splits values over 255 characters into several strings. */
        public Builder txt(String name, String value) {
            records.add("--txt-record=" + name + "," + value);
            return this;
        }

        /** Names under {@code domain} without a record given here are NXDOMAIN (not REFUSED). */
        public Builder localDomain(String domain) {
            records.add("--local=/" + domain + "/");
            return this;
        }

        /** Starts dnsmasq and waits (bounded) until it answers on {@code address}:53. */
        public Dnsmasq start() throws IOException {
            Path executable = executable().orElseThrow(() -> new IllegalStateException("dnsmasq is not installed"));
            List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--no-daemon",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
                "--listen-address=" + address,
                "--port=53",
                "--pid-file",
                "--log-facility=-",
                "--log-queries"));
            command.addAll(records);
            ChildDaemon daemon = ChildDaemon.start(command);
            Dnsmasq dnsmasq = new Dnsmasq(daemon, address);
            daemon.awaitReady("dnsmasq on " + address + ":53 " + command, READY_TIMEOUT,
                () -> answers(address) && dnsmasq.log().contains(PROBE),
                "by a DNS server listening on port 53 of all addresses (the dnsmasq package's service? stop it,"
                    + " systemctl stop dnsmasq, or give it bind-interfaces) or by another test run's dnsmasq");
            return dnsmasq;
        }

        private static boolean answers(String address) {
            try {
                SimpleResolver resolver = new SimpleResolver(address);
                resolver.setTimeout(Duration.ofMillis(500));
                Record question = Record.newRecord(Name.fromString(PROBE + "."), Type.A, DClass.IN);
                resolver.send(Message.newQuery(question));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}

package io.sendonly.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-validating resolver for tests: {@code unbound} as a child process on one loopback address, port 53,
 * serving the {@link Zone zones} given as its own authoritative data ({@code auth-zone} with {@code for-upstream}),
 * which it validates as if fetched from their servers. A signed zone is signed at start with keys made then
 * ({@code ldns-keygen}, {@code ldns-signzone}: ECDSA P-256, NSEC), its key-signing key's DS being unbound's trust
 * anchor for it: its answers carry the AD bit. An unsigned zone has no trust anchor: its answers are insecure (no
 * AD). A signature {@link Zone#bogus spoiled} after signing makes that RRset bogus: unbound answers SERVFAIL.
 * Nothing else resolves (no root hints reachable); {@link Builder#localData} adds single records, answered without AD.
 *
 * <p>Needs root (port 53), unbound and ldnsutils; {@link #start} throws {@link Dnsmasq.PortTakenException} when port
 * 53 of the address is taken.
 */
public final class Unbound implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final ChildDaemon daemon;
    /** The zone files, keys and configuration, deleted by {@link #close()}. */
    private final Path directory;

    private Unbound(ChildDaemon daemon, Path directory) {
        this.daemon = daemon;
        this.directory = directory;
    }

    /** Whether unbound, ldns-keygen and ldns-signzone are installed. */
    public static boolean installed() {
        return Stream.of("unbound", "ldns-keygen", "ldns-signzone").allMatch(name -> ChildDaemon.executable(name).isPresent());
    }

    /** An unbound listening on {@code address} (a 127.0.0.0/8 address no other test uses), port 53. */
    public static Builder on(String address) {
        return new Builder(address);
    }

    /** What unbound logged so far (start-up, validation failures), for failure messages. */
    public String log() {
        return daemon.log();
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** A zone unbound serves, as zone file lines; names relative to the zone or absolute (ending with a dot). */
    public static final class Zone {
        private final String name;
        private final boolean signed;
        private final List<String> records = new ArrayList<>();
        private final List<String[]> bogus = new ArrayList<>();

        private Zone(String name, boolean signed) {
            this.name = name.endsWith(".") ? name : name + ".";
            this.signed = signed;
        }

        /** A zone signed at start, with a trust anchor: its answers are secure (AD). */
        public static Zone signed(String name) {
            return new Zone(name, true);
        }

        /** A zone without signatures nor trust anchor: its answers are insecure. */
        public static Zone unsigned(String name) {
            return new Zone(name, false);
        }

        /** A zone file line, e.g. {@code mx IN A 127.0.0.81}. */
        public Zone record(String line) {
            records.add(line);
            return this;
        }

        public Zone mx(String owner, String exchange) {
            return record(owner + " IN MX 10 " + exchange);
        }

        public Zone a(String owner, String address) {
            return record(owner + " IN A " + address);
        }

        /** {@code _port._tcp.host TLSA usage selector matchingType hex}. */
        public Zone tlsa(String host, int port, String presentation) {
            return record("_" + port + "._tcp." + host + " IN TLSA " + presentation);
        }

        /** The signature over {@code owner}'s {@code type} RRset is spoiled after signing: that RRset is bogus. */
        public Zone bogus(String owner, String type) {
            bogus.add(new String[] {absolute(owner), type});
            return this;
        }

        private String absolute(String owner) {
            return owner.endsWith(".") ? owner : owner.equals("@") ? name : owner + "." + name;
        }

        /** Writes the zone file (signed when so) in {@code directory}; returns the trust anchor's DS, if signed. */
        private Optional<String> write(Path directory) throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>(List.of(
                "$ORIGIN " + name,
                "$TTL 300",
                "@ IN SOA ns." + name + " hostmaster." + name + " 1 3600 600 86400 300",
                "@ IN NS ns." + name,
                "ns IN A 127.0.0.1"));
            lines.addAll(records);
            Path file = directory.resolve(name + "zone");
            if (!signed) {
                Files.write(file, lines);
                return Optional.empty();
            }
            Path unsigned = Files.write(directory.resolve(name + "unsigned"), lines);
            String keySigningKey = run(directory, "ldns-keygen", "-a", "ECDSAP256SHA256", "-k", name);
            String zoneSigningKey = run(directory, "ldns-keygen", "-a", "ECDSAP256SHA256", name);
            run(directory, "ldns-signzone", "-f", file.toString(), unsigned.toString(), keySigningKey, zoneSigningKey);
            if (!bogus.isEmpty()) {
                Files.write(file, Files.readAllLines(file).stream().map(this::spoiled).toList());
            }
            return Optional.of(Files.readString(directory.resolve(keySigningKey + ".ds")).strip());
        }

        /** The line, its signature's first character changed when it is the RRSIG over a bogus RRset. */
        private String spoiled(String line) {
            String[] fields = line.split("\\s+");
            boolean target = fields.length > 5 && fields[3].equals("RRSIG") && bogus.stream()
                .anyMatch(spoil -> spoil[0].equalsIgnoreCase(fields[0]) && spoil[1].equalsIgnoreCase(fields[4]));
            if (!target) {
                return line;
            }
            String signature = fields[fields.length - 1];
            String changed = (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
            return line.substring(0, line.lastIndexOf(signature)) + changed;
        }

        private static String run(Path directory, String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
    }

    public static final class Builder {
        private final String address;
        private final List<Zone> zones = new ArrayList<>();
        private final List<String> localData = new ArrayList<>();

        private Builder(String address) {
            this.address = address;
        }

        public Builder zone(Zone zone) {
            zones.add(zone);
            return this;
        }

        /** A record outside the zones, e.g. {@code mx.other.test. A 127.0.0.85}: answered, never secure. */
        public Builder localData(String record) {
            localData.add(record);
            return this;
        }

        /** Signs the zones, starts unbound and waits (bounded) until it answers on {@code address}:53. */
        public Unbound start() throws IOException, InterruptedException {
            if (zones.isEmpty()) {
                throw new IllegalStateException("unbound needs a zone to serve");
            }
            Path directory = Files.createTempDirectory("unbound-");
            List<String> config = new ArrayList<>(List.of(
                "server:",
                "  interface: " + address,
                "  port: 53",
                "  do-ip6: no",
                "  username: \"\"",
                "  chroot: \"\"",
                "  directory: \"" + directory + "\"",
                "  pidfile: \"\"",
                "  use-syslog: no",
                "  logfile: \"\"",
                "  verbosity: 1",
                "  val-log-level: 2",
                "  do-daemonize: no",
                "  access-control: 127.0.0.0/8 allow",
                "  module-config: \"validator iterator\"",
                "  trust-anchor-signaling: no",
                "  root-key-sentinel: no",
                // The names RFC 6761 reserves (test., invalid.) are unbound's own empty zones by default.
                "  local-zone: \"test.\" nodefault",
                "  local-zone: \"invalid.\" nodefault"));
            List<String> authZones = new ArrayList<>();
            for (Zone zone : zones) {
                Optional<String> trustAnchor = zone.write(directory);
                trustAnchor.ifPresent(ds -> config.add("  trust-anchor: \"" + ds.replace('\t', ' ') + "\""));
                authZones.addAll(List.of(
                    "auth-zone:",
                    "  name: \"" + zone.name + "\"",
                    "  zonefile: \"" + directory.resolve(zone.name + "zone") + "\"",
                    "  for-upstream: yes",
                    "  for-downstream: no",
                    "  fallback-enabled: no"));
            }
            localData.forEach(record -> config.add("  local-data: \"" + record + "\""));
            config.addAll(authZones);
            Path configFile = Files.write(directory.resolve("unbound.conf"), config);
            Path executable = ChildDaemon.executable("unbound")
                .orElseThrow(() -> new IllegalStateException("unbound is not installed"));
            List<String> command = List.of(executable.toString(), "-d", "-c", configFile.toString());
            ChildDaemon daemon = ChildDaemon.start(command);
            Unbound unbound = new Unbound(daemon, directory);
            Name probe = Name.fromString(zones.get(0).name);
            try {
                daemon.awaitReady("unbound on " + address + ":53 " + command, READY_TIMEOUT, () -> answers(probe),
                    "by a DNS server listening on port 53 of all addresses or by another test run's unbound");
            } catch (RuntimeException e) {
                unbound.close();
                throw e;
            }
            return unbound;
        }

        /** Whether unbound answers the zone's SOA: up, and serving the zone. */
        private boolean answers(Name zone) {
            try {
                SimpleResolver resolver = new SimpleResolver(address);
                resolver.setTimeout(Duration.ofMillis(200));
                Message answer = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
                return answer.getRcode() == Rcode.NOERROR;
            } catch (IOException e) {
                return false;
            }
        }
    }
}

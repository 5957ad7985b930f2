package io.sendonly.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sendonly.config.Domains;
import io.sendonly.config.EditableTable;
import io.sendonly.config.Fields;
import io.sendonly.config.TableEditor;
import io.sendonly.config.TableLines;

/**
 * The operator's TLS policy per destination, in Postfix's {@code smtp_tls_policy_maps} syntax (file
 * {@code conf/tls_policy}): {@code KEY LEVEL [match=NAME:NAME...] [tafile=FILE]}, where KEY is a recipient domain
 * ({@code example.org}), its subdomains ({@code .example.org}) or a smart host ({@code [host]:port}, {@code [host]}
 * meaning port 25). An entry pins the destination: it beats the route's level, DANE and MTA-STS.
 * <p>
 * {@code match=} is for {@code verify} and {@code secure}: {@code hostname} (the host connected to, as found in DNS),
 * {@code nexthop} (the destination: the recipient domain or the smart host), {@code dot-nexthop} (any name below
 * it), or names ({@code mx.example.org}, {@code .example.org}). Defaults as Postfix: {@code hostname} for verify,
 * {@code nexthop:dot-nexthop} for secure. {@code tafile=} is a PEM file of trust anchors, relative to the table's
 * folder, used instead of the JDK's authorities.
 */
public final class TlsPolicyTable {
    /** One line as written: the editor's model. */
    public record Entry(String key, SecurityLevel level, List<String> match, Optional<String> tafile) {
        public Entry {
            key = key.toLowerCase(Locale.ROOT);
            match = List.copyOf(match);
        }
    }

    /**
     * What an entry pins: the level, and for {@code verify}/{@code secure} the names the certificate must carry
     * and who must have issued it.
     *
     * @param match Postfix match names, {@code nexthop} and {@code dot-nexthop} not yet resolved; empty for the levels
     *     that check no name
     */
    public record Policy(String key, SecurityLevel level, List<String> match, TrustAnchors anchors) {
        /** The check a {@code verify} or {@code secure} level makes, {@code nexthop} being the destination's name. */
        public PeerCheck check(String nexthop, Clock clock) {
            return new WebPkiCheck(anchors, referenceNames(match, nexthop), clock);
        }
    }

    public static final String NEXTHOP = "nexthop";
    public static final String DOT_NEXTHOP = "dot-nexthop";
    private static final String MATCH = "match=";
    private static final String TAFILE = "tafile=";
    private static final Pattern SMART_HOST = Pattern.compile("\\[([^\\[\\]\\s]+)\\](?::([0-9]{1,5}))?");
    private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*");
    private static final int SMTP = 25;

    /** Reads and writes one line; every field is checked both ways, so what is written reads back the same. */
    public static final EditableTable.Format<Entry> FORMAT = new EditableTable.Format<>() {
        @Override
        public Entry parse(String content) {
            String[] words = content.split("\\s+");
            if (words.length < 2) {
                throw new IllegalArgumentException("expected 'KEY LEVEL [match=NAME:NAME...] [tafile=FILE]'");
            }
            List<String> match = List.of();
            Optional<String> tafile = Optional.empty();
            for (String word : Arrays.asList(words).subList(2, words.length)) {
                if (word.startsWith(MATCH) && match.isEmpty()) {
                    match = List.of(word.substring(MATCH.length()).split(":", -1));
                } else if (word.startsWith(TAFILE) && tafile.isEmpty()) {
                    tafile = Optional.of(word.substring(TAFILE.length()));
                } else {
                    throw new IllegalArgumentException("'" + word + "': expected match=NAME:NAME... or tafile=FILE, once each");
                }
            }
            return checked(new Entry(words[0], SecurityLevel.parse(words[1]), match, tafile));
        }

        @Override
        public String format(Entry entry) {
            Entry checked = checked(entry);
            StringBuilder line = new StringBuilder(checked.key()).append(' ').append(checked.level().word());
            if (!checked.match().isEmpty()) {
                line.append(' ').append(MATCH).append(String.join(":", checked.match()));
            }
            checked.tafile().ifPresent(file -> line.append(' ').append(TAFILE).append(file));
            return line.toString();
        }
    };

    private final Map<String, Policy> policies;

    private TlsPolicyTable(Map<String, Policy> policies) {
        this.policies = policies;
    }

    public static TlsPolicyTable empty() {
        return new TlsPolicyTable(Map.of());
    }

    /**
     * The table as delivery loads it from {@code file}: every line checked, each {@code tafile=} (relative to the
     * file's folder) read now; errors name {@code file:line}.
     */
    public static TlsPolicyTable load(List<String> lines, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return parse(lines, file.toString(), tafile -> {
            Path resolved = folder.resolve(tafile);
            if (!Files.isReadable(resolved)) {
                throw new IllegalArgumentException("tafile: " + resolved + " is not readable");
            }
            return TrustAnchors.pem(resolved);
        });
    }

    /** @param tafiles reads a {@code tafile=} value; its IllegalArgumentException is reported at the line */
    public static TlsPolicyTable parse(List<String> lines, String source, Function<String, TrustAnchors> tafiles) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        TrustAnchors jdk = null;
        for (TableLines.Line line : TableLines.of(lines, source)) {
            Entry entry = line.parse(text -> FORMAT.parse(text.content()));
            String key = normalizedKey(entry.key());
            if (policies.containsKey(key)) {
                throw line.error("'" + entry.key() + "' has a line already");
            }
            TrustAnchors anchors;
            if (entry.tafile().isPresent()) {
                anchors = line.parse(any -> tafiles.apply(entry.tafile().get()));
            } else {
                jdk = jdk == null ? TrustAnchors.jdk() : jdk;
                anchors = jdk;
            }
            List<String> match = !entry.match().isEmpty() ? entry.match() : switch (entry.level()) {
                case SECURE -> List.of(NEXTHOP, DOT_NEXTHOP);
                case VERIFY -> List.of(WebPkiCheck.HOSTNAME);
                default -> List.of();
            };
            policies.put(key, new Policy(entry.key(), entry.level(), match, anchors));
        }
        return new TlsPolicyTable(Map.copyOf(policies));
    }

    /** The entry for a recipient domain: its own, else the nearest {@code .parent} one. */
    public Optional<Policy> forDomain(String domain) {
        return Domains.mostSpecific(policies, domain);
    }

    /** The entry for a smart host reached without MX lookup, {@code [host]:port}. */
    public Optional<Policy> forSmartHost(String host, int port) {
        return Optional.ofNullable(policies.get("[" + host.toLowerCase(Locale.ROOT) + "]:" + port));
    }

    /**
     * The editor of the table file: a change is written (atomically, mode 0600) only when the whole new file loads as
     * delivery loads it, {@code tafile=} files included.
     */
    public static TableEditor<Entry> open(Path file) {
        return new TableEditor<>(file, FORMAT, "policy", lines -> load(lines, file));
    }

    public boolean isEmpty() {
        return policies.isEmpty();
    }

    /** Postfix's match names with {@code nexthop} and {@code dot-nexthop} resolved; {@code hostname} stays for the check. */
    static List<String> referenceNames(List<String> match, String nexthop) {
        List<String> names = new ArrayList<>();
        for (String name : match) {
            names.add(switch (name) {
                case NEXTHOP -> nexthop;
                case DOT_NEXTHOP -> "." + nexthop;
                default -> name;
            });
        }
        return names;
    }

    private static Entry checked(Entry entry) {
        normalizedKey(Fields.word("key", entry.key()));
        boolean verifies = entry.level() == SecurityLevel.VERIFY || entry.level() == SecurityLevel.SECURE;
        if (!verifies && (!entry.match().isEmpty() || entry.tafile().isPresent())) {
            throw new IllegalArgumentException("match= and tafile= apply to verify and secure, not " + entry.level().word());
        }
        for (String name : entry.match()) {
            boolean keyword = name.equals(WebPkiCheck.HOSTNAME) || name.equals(NEXTHOP) || name.equals(DOT_NEXTHOP);
            if (!keyword && !Domains.isHostName(name.startsWith(".") ? name.substring(1) : name)) {
                throw new IllegalArgumentException("match: '" + name + "': expected hostname, nexthop, dot-nexthop, a host name "
                    + "or .domain");
            }
        }
        entry.tafile().ifPresent(file -> Fields.word("tafile", file));
        return entry;
    }

    /**
     * The key as the table compares it: {@code [host]} is {@code [host]:25}, domains in lower case.
     *
     * @throws IllegalArgumentException starting {@code key:} when it is no domain, {@code .domain} or {@code [host]:port}
     */
    public static String normalizedKey(String key) {
        Matcher smartHost = SMART_HOST.matcher(key);
        if (smartHost.matches()) {
            String host = smartHost.group(1);
            if (!Domains.isHostName(host) && !ADDRESS.matcher(host).matches()) {
                throw new IllegalArgumentException("key: '" + key + "': expected [host]:port with a host name or address");
            }
            int port = smartHost.group(2) == null ? SMTP : Integer.parseInt(smartHost.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("key: '" + key + "': port must be 1 to 65535");
            }
            return "[" + host + "]:" + port;
        }
        try {
            return Domains.domainOrSubdomains("key", key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key: '" + key + "': expected example.org, .example.org or [host]:port", e);
        }
    }
}

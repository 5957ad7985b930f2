package io.sendonly.route;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.sendonly.config.Domains;
import io.sendonly.config.TableLines;

/**
 * Which next hops a mail takes, with the precedence written down once, here:
 * <ol>
 *   <li>the recipient's domain (Postfix {@code transport_maps}): {@code example.org} matches that domain,
 *       {@code .example.org} its subdomains; the most specific entry wins;</li>
 *   <li>then the sender's domain, the same way (Postfix {@code sender_dependent_relayhost_maps});</li>
 *   <li>then {@code default}; without one, direct to the recipient domain's MX.</li>
 * </ol>
 * File format, one hop per line: {@code recipient|sender DOMAIN HOP} or {@code default HOP}, where HOP is
 * {@code direct}, a Postfix next hop ({@code [host]:port}, optionally {@code --tls=LEVEL}) or a nullmailer remotes line
 * ({@code host smtp --port=587 --starttls --user=U --pass=P}). Several lines for one key are its smart hosts in
 * failover order. {@code #} starts a comment. Errors name {@code source:line} and never show a password.
 */
public final class RouteTable {
    /** A route: direct MX (no hops) or smart hosts in failover order. */
    public record Route(String key, List<NextHop> smartHosts) {
        public static final Route DIRECT = new Route("direct", List.of());

        public boolean direct() {
            return smartHosts.isEmpty();
        }
    }

    /** One line group of the table, for listing: which table it is in and for which domain. */
    public record Entry(Match match, Optional<String> domain, Route route) {
    }

    public enum Match {
        RECIPIENT,
        SENDER,
        DEFAULT
    }

    private static final String DIRECT = "direct";

    private final Map<String, Route> byRecipientDomain;
    private final Map<String, Route> bySenderDomain;
    private final Route defaultRoute;

    private RouteTable(Map<String, Route> byRecipientDomain, Map<String, Route> bySenderDomain, Route defaultRoute) {
        this.byRecipientDomain = Collections.unmodifiableMap(new LinkedHashMap<>(byRecipientDomain));
        this.bySenderDomain = Collections.unmodifiableMap(new LinkedHashMap<>(bySenderDomain));
        this.defaultRoute = defaultRoute;
    }

    public static RouteTable parse(List<String> lines, String source) {
        Map<String, List<NextHop>> recipient = new LinkedHashMap<>();
        Map<String, List<NextHop>> sender = new LinkedHashMap<>();
        List<NextHop> defaults = new ArrayList<>();
        for (TableLines.Line line : TableLines.of(lines, source)) {
            try {
                RouteTableEditor.Line entry = RouteTableEditor.FORMAT.parse(line.content());
                add(switch (entry.match()) {
                    case RECIPIENT -> recipient.computeIfAbsent(entry.domain().orElseThrow(), key -> new ArrayList<>());
                    case SENDER -> sender.computeIfAbsent(entry.domain().orElseThrow(), key -> new ArrayList<>());
                    case DEFAULT -> defaults;
                }, entry.hop());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(line.location() + ": " + NextHops.redact(e.getMessage()), e);
            }
        }
        return new RouteTable(routes(recipient), routes(sender), defaults.isEmpty() ? Route.DIRECT : route("default", defaults));
    }

    /**
     * The table as delivery loads it from {@code file}, at start and when it changes: parsed, and each smart host's CA
     * file made absolute (relative to the table's folder, like OpenDKIM's key paths) and checked readable.
     */
    public static RouteTable load(List<String> lines, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return parse(lines, file.toString()).withCaFilesResolved(caFile -> {
            Path resolved = folder.resolve(caFile);
            if (!Files.isReadable(resolved)) {
                throw new IllegalArgumentException(file + ": CA file " + resolved + " is not readable");
            }
            return resolved.toString();
        });
    }

    /** This table with each smart host's CA file passed through {@code resolve}. */
    private RouteTable withCaFilesResolved(UnaryOperator<String> resolve) {
        UnaryOperator<Route> routeResolver = route -> new Route(route.key(), route.smartHosts().stream()
            .map(hop -> new NextHop(hop.host(), hop.port(), hop.mxLookup(), hop.tls(), hop.wrapper(),
                hop.caFile().map(resolve), hop.credentials()))
            .toList());
        Map<String, Route> recipient = new LinkedHashMap<>();
        byRecipientDomain.forEach((key, route) -> recipient.put(key, routeResolver.apply(route)));
        Map<String, Route> sender = new LinkedHashMap<>();
        bySenderDomain.forEach((key, route) -> sender.put(key, routeResolver.apply(route)));
        return new RouteTable(recipient, sender, routeResolver.apply(defaultRoute));
    }

    /** Every route in precedence order: recipient domains, sender domains (each in file order), the default. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        byRecipientDomain.forEach((domain, route) -> entries.add(new Entry(Match.RECIPIENT, Optional.of(domain), route)));
        bySenderDomain.forEach((domain, route) -> entries.add(new Entry(Match.SENDER, Optional.of(domain), route)));
        entries.add(new Entry(Match.DEFAULT, Optional.empty(), defaultRoute));
        return List.copyOf(entries);
    }

    /** @param senderDomain empty for the null sender */
    public Route route(String recipientDomain, Optional<String> senderDomain) {
        return Domains.mostSpecific(byRecipientDomain, recipientDomain)
            .or(() -> senderDomain.flatMap(domain -> Domains.mostSpecific(bySenderDomain, domain)))
            .orElse(defaultRoute);
    }

    /** The route of mail from {@code senderDomain} to a recipient domain the table does not name. */
    public Route senderRoute(String senderDomain) {
        return Domains.mostSpecific(bySenderDomain, senderDomain).orElse(defaultRoute);
    }

    /** Adds a key's next hop; {@code direct} is kept as a null entry, so that mixing it with hosts, in any order, fails. */
    private static void add(List<NextHop> hops, String hop) {
        boolean direct = hop.equals(DIRECT);
        if (!hops.isEmpty() && (direct || hops.contains(null))) {
            throw new IllegalArgumentException("'direct' cannot be mixed with smart hosts");
        }
        hops.add(direct ? null : NextHops.parse(hop));
    }

    private static Route route(String key, List<NextHop> hops) {
        return hops.contains(null) ? Route.DIRECT : new Route(key, List.copyOf(hops));
    }

    private static Map<String, Route> routes(Map<String, List<NextHop>> hops) {
        Map<String, Route> routes = new LinkedHashMap<>();
        hops.forEach((key, list) -> routes.put(key, route(key, list)));
        return routes;
    }
}

package io.sendonly.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.sendonly.tls.HostTls.Report;

/**
 * Which TLS each host of a destination gets, with the precedence of RFC 8461 section 2 and RFC 7672, written here
 * once:
 * <ol>
 *   <li>the operator's {@link TlsPolicyTable} entry for the destination pins it;</li>
 *   <li>DANE, at level {@code dane} when the domain's MX RRset is DNSSEC-validated: a host with usable TLSA records
 *       needs STARTTLS and a chain matching them; a failed TLSA lookup makes the host unusable; a host without
 *       usable records goes to the next rule;</li>
 *   <li>MTA-STS (direct delivery only): {@code enforce} skips MX hosts the policy does not allow and holds the others
 *       to STARTTLS and a WebPKI certificate for their name; {@code testing} delivers as {@code may} and reports what
 *       enforce would have refused; a policy that cannot be fetched is reported and counts as none;</li>
 *   <li>the level: the route hop's, or {@code tlsSecurityLevel} for direct delivery ({@code dane} is {@code may}
 *       where DANE does not apply).</li>
 * </ol>
 */
public final class TlsPolicyResolver {
    private static final int SMTP = 25;

    private final Supplier<TlsPolicyTable> table;
    private final SecurityLevel directLevel;
    private final boolean mtaSts;
    private final StsPolicies stsPolicies;
    private final DaneRecords daneRecords;
    private final Function<TlsaLookup.Usable, PeerCheck> daneCheck;
    private final Clock clock;
    private final TrustAnchors jdk;
    private final Map<Path, TrustAnchors> caFiles = new ConcurrentHashMap<>();

    /**
     * @param directLevel the level of direct delivery to a domain without a table entry (Postfix smtp_tls_security_level)
     * @param daneCheck the check of a chain against usable TLSA records
     */
    public TlsPolicyResolver(Supplier<TlsPolicyTable> table, SecurityLevel directLevel, boolean mtaSts, StsPolicies stsPolicies,
                             DaneRecords daneRecords, Function<TlsaLookup.Usable, PeerCheck> daneCheck, TrustAnchors jdk, Clock clock) {
        this.table = table;
        this.directLevel = directLevel;
        this.mtaSts = mtaSts;
        this.stsPolicies = stsPolicies;
        this.daneRecords = daneRecords;
        this.daneCheck = daneCheck;
        this.jdk = jdk;
        this.clock = clock;
    }

    /** Direct delivery to the MX hosts of a recipient domain, which is also the policy domain reported. */
    public DestinationTls direct(String domain) {
        Optional<TlsPolicyTable.Policy> pinned = table.get().forDomain(domain);
        Report noPolicy = new Report(domain, PolicyType.NO_POLICY_FOUND, List.of(), Optional.empty());
        if (pinned.isPresent() && pinned.get().level() != SecurityLevel.DANE) {
            return host -> level(pinned.get().level(), Optional.of(pinned.get()), domain, jdk, Optional.of(noPolicy));
        }
        SecurityLevel level = pinned.map(TlsPolicyTable.Policy::level).orElse(directLevel);
        DestinationTls afterDane = pinned.isPresent() || !mtaSts ? host -> level(level, Optional.empty(), domain, jdk, Optional.of(noPolicy))
            : once(() -> sts(domain, level, noPolicy));
        return level == SecurityLevel.DANE ? dane(domain, SMTP, Optional.of(domain), afterDane) : afterDane;
    }

    /**
     * A smart host of a route: the table's entry for it ({@code [host]:port}, or its domain when reached by MX), else
     * the hop's level; DANE when that level is {@code dane} and the host's records are validated. Not reported: the
     * smart host is not the recipients' policy domain.
     *
     * @param caFile trust anchors of the hop ({@code --x509cafile}), instead of the JDK's
     */
    public DestinationTls smartHost(String host, int port, boolean mxLookup, SecurityLevel hopLevel, Optional<Path> caFile) {
        TlsPolicyTable policies = table.get();
        Optional<TlsPolicyTable.Policy> pinned = mxLookup ? policies.forDomain(host) : policies.forSmartHost(host, port);
        SecurityLevel level = pinned.map(TlsPolicyTable.Policy::level).orElse(hopLevel);
        TrustAnchors anchors = caFile.map(file -> caFiles.computeIfAbsent(file, TrustAnchors::pem)).orElse(jdk);
        DestinationTls byLevel = name -> level(level, pinned, host, anchors, Optional.empty());
        return level == SecurityLevel.DANE ? dane(host, port, Optional.empty(), byLevel) : byLevel;
    }

    /** Looked up on the first host that needs it, then kept: no MTA-STS fetch when DANE decides every host. */
    private static DestinationTls once(Supplier<DestinationTls> lookup) {
        return new DestinationTls() {
            private DestinationTls looked;

            @Override
            public HostTls forHost(String hostName) {
                if (looked == null) {
                    looked = lookup.get();
                }
                return looked.forHost(hostName);
            }
        };
    }

    private DestinationTls dane(String domain, int port, Optional<String> policyDomain, DestinationTls otherwise) {
        if (!daneRecords.mxSecure(domain)) {
            return otherwise;
        }
        return host -> {
            TlsaLookup lookup = daneRecords.tlsa(host, port);
            if (lookup instanceof TlsaLookup.Usable usable) {
                Optional<Report> report = policyDomain.map(name -> new Report(name, PolicyType.TLSA, usable.presentation(), Optional.empty()));
                return new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.of(daneCheck.apply(usable)),
                    "dane " + String.join(" / ", usable.presentation()), report);
            }
            if (lookup instanceof TlsaLookup.Failed failed) {
                return new HostTls.Refused(failed.failure(),
                    policyDomain.map(name -> new Report(name, PolicyType.TLSA, List.of(), Optional.empty())));
            }
            return otherwise.forHost(host);
        };
    }

    private DestinationTls sts(String domain, SecurityLevel level, Report noPolicy) {
        StsLookup lookup = stsPolicies.lookup(domain);
        if (lookup instanceof StsLookup.Failed failed) {
            Report report = new Report(domain, PolicyType.STS, List.of(), Optional.of(failed.failure()));
            return host -> level(level, Optional.empty(), domain, jdk, Optional.of(report));
        }
        if (!(lookup instanceof StsLookup.Found found) || found.policy().mode() == StsPolicy.Mode.NONE) {
            return host -> level(level, Optional.empty(), domain, jdk, Optional.of(noPolicy));
        }
        StsPolicy policy = found.policy();
        PeerCheck webPki = WebPkiCheck.ofHostName(stsPolicies.authorities().orElse(jdk), clock);
        String requirement = "mta-sts " + policy.mode().name().toLowerCase(java.util.Locale.ROOT) + " id=" + policy.id();
        return host -> {
            Optional<TlsFailure> notAllowed = policy.allowsMx(host) ? Optional.empty()
                : Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE,
                    "MX host " + host + " is not allowed by the MTA-STS policy of " + domain + " (mx: " + policy.mxPatterns() + ")"));
            Report report = new Report(domain, PolicyType.STS, policy.lines(),
                policy.mode() == StsPolicy.Mode.TESTING ? notAllowed : Optional.empty());
            if (policy.mode() == StsPolicy.Mode.TESTING) {
                return new HostTls.Connect(HostTls.Mode.MAY, Optional.of(webPki), requirement, Optional.of(report));
            }
            return notAllowed.<HostTls>map(failure -> new HostTls.Refused(failure, Optional.of(report)))
                .orElseGet(() -> new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.of(webPki), requirement, Optional.of(report)));
        };
    }

    /** What a level demands of a host; {@code dane} here means DANE did not apply: {@code may}. */
    private HostTls level(SecurityLevel level, Optional<TlsPolicyTable.Policy> pinned, String nexthop, TrustAnchors anchors,
                          Optional<Report> report) {
        return switch (level) {
            case NONE -> new HostTls.Connect(HostTls.Mode.NONE, Optional.empty(), "none", report);
            case MAY, DANE -> new HostTls.Connect(HostTls.Mode.MAY, Optional.empty(), "may", report);
            case ENCRYPT -> new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.empty(), "encrypt", report);
            case VERIFY, SECURE -> {
                PeerCheck check = pinned.map(policy -> policy.check(nexthop, clock))
                    .orElseGet(() -> new WebPkiCheck(anchors, level == SecurityLevel.SECURE
                        ? TlsPolicyTable.referenceNames(List.of(TlsPolicyTable.NEXTHOP, TlsPolicyTable.DOT_NEXTHOP), nexthop)
                        : List.of(WebPkiCheck.HOSTNAME), clock));
                yield new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.of(check), level.word() + " " + check, report);
            }
        };
    }
}

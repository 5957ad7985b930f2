package io.sendonly.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.deliver.Trouble.HostRefused;
import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable.Route;
import io.sendonly.smtp.AcceptAnyCertificate;
import io.sendonly.smtp.Reply;
import io.sendonly.smtp.SmtpSession;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.DestinationTls;
import io.sendonly.tls.HostTls;
import io.sendonly.tls.PeerCheck;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TlsPolicyResolver;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResults;
import io.sendonly.tls.TlsaLookup;
import io.sendonly.tls.TrustAnchors;

/**
 * One delivery attempt of one message to the recipients sharing a route. Hosts are tried in order (the smart hosts
 * as listed, or the MX hosts lowest preference first, each address of each); a host that cannot be reached, times
 * out, answers 4xx, lacks required TLS or refuses our credentials passes the recipients still pending to the next
 * host, as Postfix does. What remains deferred after the last host is retried later by the caller.
 * <p>
 * TLS takes one path: every handshake accepts any certificate (SNI is the host's name), then the host's
 * {@link HostTls} requirement, decided by {@link TlsPolicyResolver} (policy table, DANE, MTA-STS, level), judges the
 * chain with its {@link PeerCheck}. A requirement not met defers the recipients (4.7.5; 4.7.4 when STARTTLS is not
 * offered), never sends in clear; each negotiation with a host of a direct destination is recorded in
 * {@link TlsResults} for TLS-RPT.
 */
final class RouteAttempt {
    /** One address to try, with the hop that says how to talk to it and the TLS its host must give. */
    private record Candidate(String name, InetAddress address, NextHop hop, HostTls tls) {
        String describe() {
            return name + "[" + address.getHostAddress() + "]:" + hop.port();
        }
    }

    /** TLS-RPT report mail on a direct route: STARTTLS when offered, clear text when it fails, nothing recorded. */
    private static final DestinationTls TLS_REPORT = host -> new HostTls.Connect(HostTls.Mode.MAY, Optional.empty(),
        "may (TLS-RPT report)", Optional.empty());
    /** Postfix smtp_mx_address_limit: more addresses than this are not worth one attempt. */
    private static final int ADDRESS_LIMIT = 10;
    private static final int SMTP = 25;
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteAttempt.class);

    private final DeliverySettings settings;
    private final DNSService dns;
    private final TlsPolicyResolver tlsPolicies;
    private final TlsResults tlsResults;
    private final SSLContext anyCertificate;
    private final ConnectionCache connections;
    private final AtomicLong possibleDuplicates = new AtomicLong();

    /**
     * @param tlsPolicy the operator's table ({@code conf/tls_policy}), as it is now
     * @param daneCheck the check of a chain against a host's usable TLSA records
     * @param tlsResults where each negotiation with a host of a direct destination is told, for TLS-RPT
     */
    RouteAttempt(DeliverySettings settings, DNSService dns, Supplier<TlsPolicyTable> tlsPolicy, StsPolicies stsPolicies,
                 DaneRecords daneRecords, Function<TlsaLookup.Usable, PeerCheck> daneCheck, TlsResults tlsResults,
                 ConnectionCache connections, Clock clock) {
        this.settings = settings;
        this.dns = dns;
        this.tlsPolicies = new TlsPolicyResolver(tlsPolicy, settings.tlsSecurityLevel(), settings.mtaSts(), stsPolicies, daneRecords,
            daneCheck, TrustAnchors.jdk(), clock);
        this.tlsResults = tlsResults;
        this.connections = connections;
        try {
            this.anyCertificate = AcceptAnyCertificate.context();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * @param domain the recipients' domain, whose MX hosts a direct route uses
     * @param tlsReport the message is a TLS-RPT report: sent direct, it goes despite any TLS failure and its sessions
     *     are not reported (RFC 8460 section 5.3), so a domain whose TLS is broken still learns of it
     * @param attempts where each host's answers are recorded, as events
     */
    List<RecipientResult> deliver(Route route, String domain, String sender, List<MailAddress> recipients, byte[] message,
                                  boolean eightBit, boolean tlsReport, DeliveryEvents.Attempts attempts) {
        Map<MailAddress, RecipientResult> results = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        List<NextHop> hops = route.direct()
            ? List.of(new NextHop(domain, SMTP, true, settings.tlsSecurityLevel(), false, Optional.empty(), Optional.empty()))
            : route.smartHosts();
        for (NextHop hop : hops) {
            try {
                candidates.addAll(candidates(hop, route.direct() ? (tlsReport ? TLS_REPORT : tlsPolicies.direct(domain))
                    : tlsPolicies.smartHost(hop.host(), hop.port(), hop.mxLookup(), hop.tls(), hop.caFile().map(Path::of))));
            } catch (TemporaryResolutionException e) {
                recipients.forEach(recipient -> results.putIfAbsent(recipient, RecipientResult.deferred(recipient, "4.4.3", "",
                    "Host or domain name lookup failed for " + hop.host() + ": " + e.getMessage())));
            } catch (UnknownHostException e) {
                recipients.forEach(recipient -> results.putIfAbsent(recipient, resolutionFailure(recipient, hop, route.direct())));
            }
        }
        List<MailAddress> pending = new ArrayList<>(recipients);
        for (Candidate candidate : candidates.subList(0, Math.min(ADDRESS_LIMIT, candidates.size()))) {
            if (pending.isEmpty()) {
                break;
            }
            Tried tried = (relay, tls, answers) -> attempts.tried(route, relay, tls, answers);
            for (RecipientResult result : talk(candidate, sender, pending, message, eightBit, false, tried)) {
                results.put(result.recipient(), result);
                if (result.outcome() != Outcome.DEFERRED) {
                    pending.remove(result.recipient());
                }
            }
        }
        return recipients.stream().map(results::get).toList();
    }

    /** Direct to a domain that does not exist is final (Postfix 5.4.4); an unknown smart host is a configuration slip, retried. */
    private static RecipientResult resolutionFailure(MailAddress recipient, NextHop hop, boolean direct) {
        String explanation = "Host or domain name not found: " + hop.host();
        return direct ? RecipientResult.failed(recipient, "5.4.4", "", explanation)
            : RecipientResult.deferred(recipient, "4.4.4", "", explanation);
    }

    private List<Candidate> candidates(NextHop hop, DestinationTls destinationTls) throws TemporaryResolutionException, UnknownHostException {
        Collection<String> names = hop.mxLookup() ? dns.findMXRecords(hop.host()) : List.of(hop.host());
        List<Candidate> candidates = new ArrayList<>();
        for (String name : names) {
            String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            try {
                Collection<InetAddress> addresses = dns.getAllByName(host);
                HostTls tls = destinationTls.forHost(host);
                for (InetAddress address : addresses) {
                    candidates.add(new Candidate(host, address, hop, tls));
                }
            } catch (UnknownHostException e) {
                LOGGER.warn("MX host {} of {} has no address", host, hop.host());
            }
        }
        if (candidates.isEmpty()) {
            throw new UnknownHostException(hop.host());
        }
        return candidates;
    }

    /** Where {@link #talk} tells what one host answered, with the TLS session it was told over. */
    @FunctionalInterface
    private interface Tried {
        void tried(String relay, Optional<SSLSession> tls, List<RecipientResult> results);
    }

    private List<RecipientResult> talk(Candidate candidate, String sender, List<MailAddress> recipients, byte[] message,
                                       boolean eightBit, boolean plainFallback, Tried tried) {
        if (candidate.tls() instanceof HostTls.Refused refused) {
            report(candidate, refused.report(), Optional.of(refused.failure()));
            return told(tried, candidate, Optional.empty(), Trouble.notStarted(recipients,
                new HostRefused("4.7.5", "not delivering to " + candidate.describe() + ": " + refused.failure().reason()), false,
                candidate.name(), candidate.describe()));
        }
        HostTls.Connect tls = (HostTls.Connect) candidate.tls();
        NextHop hop = candidate.hop();
        ConnectionCache.Key key = new ConnectionCache.Key(new InetSocketAddress(candidate.address(), hop.port()), hop, tls.requirement());
        if (!plainFallback) {
            Optional<SmtpSession> cached = connections.take(key);
            if (cached.isPresent()) {
                Optional<List<RecipientResult>> results = reuse(cached.get(), key, candidate, sender, recipients, message, eightBit);
                if (results.isPresent()) {
                    tried.tried(candidate.describe(), cached.get().tls(), results.get());
                    return results.get();
                }
            }
        }
        SmtpSession session = null;
        boolean handedOver = false;
        try {
            session = SmtpSession.connect(key.address(), settings.connectTimeoutMillis(), settings.timeoutMillis(),
                hop.wrapper() ? anyCertificate : null, candidate.name(), false);
            if (hop.wrapper()) {
                checkPeer(session, candidate, tls, true);
            }
            open(session, candidate, tls, plainFallback);
            handedOver = true;
            return told(tried, candidate, session.tls(), transact(session, key, candidate, sender, recipients, message, eightBit));
        } catch (SSLException e) {
            if (session != null && session.secure()) {
                // The handshake succeeded and was recorded: what breaks after it is a broken connection, not TLS.
                return brokenOff(tried, candidate, session, recipients, e);
            }
            report(candidate, tls.report(), Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE, "TLS handshake failed: "
                + e.getMessage())));
            if (tls.mode() == HostTls.Mode.MAY && !hop.wrapper() && !plainFallback) {
                LOGGER.info("TLS with {} failed ({}), trying again without TLS", candidate.describe(), e.getMessage());
                return talk(candidate, sender, recipients, message, eightBit, true, tried);
            }
            return told(tried, candidate, Optional.empty(), Trouble.notStarted(recipients, e, session != null, candidate.name(),
                candidate.describe()));
        } catch (IOException | HostRefused | RuntimeException e) {
            if (e instanceof RuntimeException) {
                LOGGER.error("Talking to {} failed unexpectedly; recipients deferred", candidate.describe(), e);
            }
            return brokenOff(tried, candidate, session, recipients, e);
        } finally {
            if (session != null && !handedOver) {
                session.close();
            }
        }
    }

    private static List<RecipientResult> brokenOff(Tried tried, Candidate candidate, SmtpSession session,
                                                   List<MailAddress> recipients, Exception e) {
        return told(tried, candidate, session == null ? Optional.empty() : session.tls(),
            Trouble.notStarted(recipients, e, session != null, candidate.name(), candidate.describe()));
    }

    private static List<RecipientResult> told(Tried tried, Candidate candidate, Optional<SSLSession> tls, List<RecipientResult> results) {
        tried.tried(candidate.describe(), tls, results);
        return results;
    }

    /** Greeting, EHLO, STARTTLS as the host's requirement wants it, AUTH when the hop has credentials: ready for a transaction. */
    private void open(SmtpSession session, Candidate candidate, HostTls.Connect tls, boolean plainFallback) throws IOException, HostRefused {
        Reply greeting = session.greeting();
        if (greeting.code() != 220) {
            throw new HostRefused(greeting, "host " + candidate.describe() + " refused to talk to me");
        }
        Reply hello = session.hello(settings.heloName());
        if (!hello.positive()) {
            throw new HostRefused(hello, "host " + candidate.describe() + " refused our EHLO");
        }
        if (!plainFallback && !session.secure() && tls.mode() != HostTls.Mode.NONE) {
            startTls(session, candidate, tls);
        }
        if (candidate.hop().credentials().isPresent()) {
            authenticate(session, candidate);
        }
    }

    /** STARTTLS, the peer's chain checked, EHLO again; without STARTTLS, clear text only where the requirement allows it. */
    private void startTls(SmtpSession session, Candidate candidate, HostTls.Connect tls) throws IOException, HostRefused {
        boolean required = tls.mode() == HostTls.Mode.REQUIRED;
        Optional<Reply> refused = Optional.empty();
        if (session.offers("STARTTLS")) {
            Reply reply = session.startTls(anyCertificate, candidate.name(), false);
            if (reply.code() == 220) {
                checkPeer(session, candidate, tls, required);
                Reply hello = session.hello(settings.heloName());
                if (!hello.positive()) {
                    throw new HostRefused(hello, "host " + candidate.describe() + " refused our EHLO after STARTTLS");
                }
                return;
            }
            refused = Optional.of(reply);
        }
        String reason = refused.map(reply -> "host " + candidate.describe() + " refused STARTTLS: " + reply)
            .orElse("STARTTLS not offered by host " + candidate.describe());
        if (required || tls.report().filter(report -> report.type() != PolicyType.NO_POLICY_FOUND).isPresent()) {
            report(candidate, tls.report(), Optional.of(new TlsFailure(ResultType.STARTTLS_NOT_SUPPORTED, reason)));
        }
        if (required) {
            session.quit();
            throw new HostRefused("4.7.4", "TLS is required (" + tls.requirement() + "), but " + reason);
        }
    }

    /**
     * The requirement's check of the chain the host presented, reported; a failure ends the conversation when it is
     * {@code enforced}, and is only reported otherwise (MTA-STS testing).
     */
    private void checkPeer(SmtpSession session, Candidate candidate, HostTls.Connect tls, boolean enforced) throws HostRefused {
        Optional<TlsFailure> failure = tls.check().flatMap(check -> check.check(peerChain(session), candidate.name()));
        report(candidate, tls.report(), failure);
        if (failure.isPresent() && !enforced) {
            LOGGER.warn("TLS with {} does not satisfy {}, delivering as it is not enforced: {}", candidate.describe(),
                tls.requirement(), failure.get().reason());
        }
        if (failure.isPresent() && enforced) {
            session.quit();
            throw new HostRefused("4.7.5", "TLS is required (" + tls.requirement() + "), but the certificate of host "
                + candidate.describe() + " does not satisfy it: " + failure.get().reason());
        }
    }

    private static List<X509Certificate> peerChain(SmtpSession session) {
        try {
            Certificate[] chain = session.tls().orElseThrow().getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** One negotiation's result, for TLS-RPT, when the destination has a policy domain. */
    private void report(Candidate candidate, Optional<HostTls.Report> report, Optional<TlsFailure> failure) {
        report.ifPresent(policy -> tlsResults.record(policy.result(candidate.name(), candidate.address().getHostAddress(), failure)));
    }

    /**
     * The next transaction on a cached connection, after RSET. Empty when the connection went stale before
     * anything was sent (the caller opens a new one); a failure after that defers, as on a new connection.
     */
    private Optional<List<RecipientResult>> reuse(SmtpSession session, ConnectionCache.Key key, Candidate candidate, String sender,
                                                  List<MailAddress> recipients, byte[] message, boolean eightBit) {
        try {
            if (session.reset().code() != 250) {
                session.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            session.close();
            return Optional.empty();
        }
        return Optional.of(transact(session, key, candidate, sender, recipients, message, eightBit));
    }

    /**
     * One transaction on an open session, its outcomes decided by {@link Trouble}; afterwards the session is cached
     * for the next message or closed.
     */
    private List<RecipientResult> transact(SmtpSession session, ConnectionCache.Key key, Candidate candidate, String sender,
                                           List<MailAddress> recipients, byte[] message, boolean eightBit) {
        Transaction transaction = new Transaction(recipients);
        boolean cachedAfterUse = false;
        try {
            session.send(transaction, sender, message, eightBit);
            cachedAfterUse = keepOrQuit(key, session);
            return Trouble.completed(transaction, candidate.name());
        } catch (IOException | RuntimeException e) {
            if (e instanceof RuntimeException) {
                LOGGER.error("Transaction with {} failed unexpectedly", candidate.describe(), e);
            }
            if (Trouble.mayBeDuplicated(transaction)) {
                LOGGER.warn("Connection with {} lost after end of data, before its reply: deferred, may be delivered twice "
                    + "(RFC 1047); {} such so far", candidate.describe(), possibleDuplicates.incrementAndGet());
            }
            return Trouble.interrupted(transaction, e, candidate.name(), candidate.describe());
        } finally {
            if (!cachedAfterUse) {
                session.close();
            }
        }
    }

    /** @return true when the connection stays open in the cache; otherwise it has said QUIT */
    private boolean keepOrQuit(ConnectionCache.Key key, SmtpSession session) {
        if (connections.give(key, session)) {
            return true;
        }
        session.quit();
        return false;
    }

    /** @throws HostRefused when the server refused our credentials or they must not travel in clear */
    private static void authenticate(SmtpSession session, Candidate candidate) throws IOException, HostRefused {
        NextHop.Credentials credentials = candidate.hop().credentials().orElseThrow();
        if (!session.secure()) {
            session.quit();
            throw new HostRefused("4.7.0", "not sending credentials in clear to " + candidate.describe() + " (no TLS)");
        }
        boolean login = credentials.method() == NextHop.AuthMethod.LOGIN
            || (!session.authMechanisms().contains("PLAIN") && session.authMechanisms().contains("LOGIN"));
        Reply reply = login ? session.authLogin(credentials.user(), credentials.password())
            : session.authPlain(credentials.user(), credentials.password());
        if (reply.code() != 235) {
            session.quit();
            throw new HostRefused(reply, "SASL authentication as " + credentials.user() + " failed at " + candidate.describe());
        }
    }

    /** How many transactions were cut after the final dot and before its reply (RFC 1047), since start. */
    long possibleDuplicates() {
        return possibleDuplicates.get();
    }

}

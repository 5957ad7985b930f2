package io.sendonly.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.deliver.Trouble.HostRefused;
import io.sendonly.route.NextHop;
import io.sendonly.route.NextHop.TlsMode;
import io.sendonly.route.RouteTable.Route;
import io.sendonly.smtp.Reply;
import io.sendonly.smtp.SmtpSession;

/**
 * One delivery attempt of one message to the recipients sharing a route. Hosts are tried in order (the smart hosts
 * as listed, or the MX hosts lowest preference first, each address of each); a host that cannot be reached, times
 * out, answers 4xx, lacks required TLS or refuses our credentials passes the recipients still pending to the next
 * host, as Postfix does. What remains deferred after the last host is retried later by the caller.
 */
final class RouteAttempt {
    /** One address to try, with the hop that says how to talk to it. */
    private record Candidate(String name, InetAddress address, NextHop hop) {
        String describe() {
            return name + "[" + address.getHostAddress() + "]:" + hop.port();
        }
    }

    /** Postfix smtp_mx_address_limit: more addresses than this are not worth one attempt. */
    private static final int ADDRESS_LIMIT = 10;
    private static final int SMTP = 25;
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteAttempt.class);

    private final DeliverySettings settings;
    private final DNSService dns;
    private final TlsContexts tls;
    private final ConnectionCache connections;
    private final AtomicLong possibleDuplicates = new AtomicLong();

    RouteAttempt(DeliverySettings settings, DNSService dns, TlsContexts tls, ConnectionCache connections) {
        this.settings = settings;
        this.dns = dns;
        this.tls = tls;
        this.connections = connections;
    }

    /**
     * @param domain the recipients' domain, whose MX hosts a direct route uses
     * @param attempts where each host's answers are recorded, as events
     */
    List<RecipientResult> deliver(Route route, String domain, String sender, List<MailAddress> recipients, byte[] message,
                                  boolean eightBit, DeliveryEvents.Attempts attempts) {
        Map<MailAddress, RecipientResult> results = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        List<NextHop> hops = route.direct()
            ? List.of(new NextHop(domain, SMTP, true, TlsMode.OPPORTUNISTIC, false, Optional.empty(), Optional.empty()))
            : route.smartHosts();
        for (NextHop hop : hops) {
            try {
                candidates.addAll(candidates(hop));
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

    private List<Candidate> candidates(NextHop hop) throws TemporaryResolutionException, UnknownHostException {
        Collection<String> names = hop.mxLookup() ? dns.findMXRecords(hop.host()) : List.of(hop.host());
        List<Candidate> candidates = new ArrayList<>();
        for (String name : names) {
            String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            try {
                for (InetAddress address : dns.getAllByName(host)) {
                    candidates.add(new Candidate(host, address, hop));
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
        NextHop hop = candidate.hop();
        ConnectionCache.Key key = new ConnectionCache.Key(new InetSocketAddress(candidate.address(), hop.port()), hop);
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
                hop.tls() == TlsMode.IMPLICIT ? context(hop) : null, candidate.name(), verifies(hop));
            open(session, candidate, plainFallback);
            handedOver = true;
            Optional<SSLSession> tls = session.tls();
            return told(tried, candidate, tls, transact(session, key, candidate, sender, recipients, message, eightBit));
        } catch (SSLException e) {
            if (hop.tls() == TlsMode.OPPORTUNISTIC && !plainFallback) {
                LOGGER.info("TLS with {} failed ({}), trying again without TLS", candidate.describe(), e.getMessage());
                return talk(candidate, sender, recipients, message, eightBit, true, tried);
            }
            return told(tried, candidate, Optional.empty(), Trouble.notStarted(recipients, e, session != null, candidate.name(),
                candidate.describe()));
        } catch (IOException | HostRefused | RuntimeException e) {
            if (e instanceof RuntimeException) {
                LOGGER.error("Talking to {} failed unexpectedly; recipients deferred", candidate.describe(), e);
            }
            return told(tried, candidate, session == null ? Optional.empty() : session.tls(),
                Trouble.notStarted(recipients, e, session != null, candidate.name(), candidate.describe()));
        } finally {
            if (session != null && !handedOver) {
                session.close();
            }
        }
    }

    private static List<RecipientResult> told(Tried tried, Candidate candidate, Optional<SSLSession> tls, List<RecipientResult> results) {
        tried.tried(candidate.describe(), tls, results);
        return results;
    }

    /** Greeting, EHLO, STARTTLS as the hop wants it, AUTH when it has credentials: ready for a transaction. */
    private void open(SmtpSession session, Candidate candidate, boolean plainFallback) throws IOException, HostRefused {
        NextHop hop = candidate.hop();
        Reply greeting = session.greeting();
        if (greeting.code() != 220) {
            throw new HostRefused(greeting, "host " + candidate.describe() + " refused to talk to me");
        }
        Reply hello = session.hello(settings.heloName());
        if (!hello.positive()) {
            throw new HostRefused(hello, "host " + candidate.describe() + " refused our EHLO");
        }
        boolean startTls = !plainFallback && !session.secure()
            && (hop.tls() == TlsMode.REQUIRED_STARTTLS || (hop.tls() == TlsMode.OPPORTUNISTIC && session.offers("STARTTLS")));
        if (startTls) {
            if (!session.offers("STARTTLS")) {
                session.quit();
                throw new HostRefused("4.7.4", "TLS is required, but was not offered by host " + candidate.describe());
            }
            Reply reply = session.startTls(context(hop), candidate.name(), verifies(hop));
            if (reply.code() == 220) {
                hello = session.hello(settings.heloName());
                if (!hello.positive()) {
                    throw new HostRefused(hello, "host " + candidate.describe() + " refused our EHLO after STARTTLS");
                }
            } else if (hop.tls() == TlsMode.REQUIRED_STARTTLS) {
                throw new HostRefused(reply, "host " + candidate.describe() + " refused STARTTLS");
            }
        }
        if (hop.credentials().isPresent()) {
            authenticate(session, candidate);
        }
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

    private SSLContext context(NextHop hop) {
        return verifies(hop) ? tls.verifying(hop.caFile().map(Path::of)) : tls.unverified();
    }

    /** Opportunistic TLS never checks certificates (Postfix {@code may}): failing it would only mean clear text. */
    private static boolean verifies(NextHop hop) {
        return hop.verifyCertificate() && hop.tls() != TlsMode.OPPORTUNISTIC;
    }
}

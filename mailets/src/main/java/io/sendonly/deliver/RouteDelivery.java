package io.sendonly.deliver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetException;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.TableFile;
import io.sendonly.config.WatchedFile;
import io.sendonly.deliver.DeliverySettings.FirstAttempt;
import io.sendonly.events.Events;
import io.sendonly.route.RouteTable;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.tls.DaneCheck;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.ResolverDaneRecords;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResults;
import io.sendonly.tls.TrustAnchors;
import io.sendonly.tls.sts.DnsStsPolicies;
import io.sendonly.tlsrpt.TlsReports;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers by route table (see {@link RouteTable}): direct to the MX of each recipient domain, or through
 * smart hosts in failover order, each with its own TLS policy and credentials. The first attempt is made right
 * away, on the spooler thread that runs this mailet ({@code firstAttempt} {@code spool}, the default): the mail is
 * still in the durable spool queue, which lets go of it only once this mailet returns, so a crash means another
 * attempt, never a loss. Only what is deferred goes to the durable {@code outgoingQueue}, where delivery threads
 * retry it: most mail is written to one durable queue, not two. With {@code firstAttempt} {@code queue} every mail
 * is queued on {@code outgoingQueue} first, as James's RemoteDelivery does. Per recipient: delivered, failed (5xx, or the queue
 * lifetime is over) or deferred (retried on the schedule). Failed recipients, and a warning once the mail has
 * waited {@code delayWarningTime}, go as a copy of the mail to {@code bounceProcessor}, whose report mailet
 * tells the sender and the admin. A recipient on the suppression list ({@link SuppressionList}, filled by hard
 * bounces) is not attempted: it fails at once with 5.7.1, reported the same way.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.deliver.RouteDelivery">
 *     <routes>file://conf/routes</routes>
 *     <outgoingQueue>outgoing</outgoingQueue>
 *     <deliveryThreads>8</deliveryThreads>
 *     <connectTimeout>30s</connectTimeout>
 *     <timeout>300s</timeout>
 *     <retrySchedule>5m, 10m, 20m, 40m, 1h</retrySchedule>
 *     <maxQueueLifetime>5d</maxQueueLifetime>
 *     <delayWarningTime>4h</delayWarningTime>
 *     <bounceProcessor>bounces</bounceProcessor>
 *     <connectionCacheTime>2s</connectionCacheTime>
 *     <firstAttempt>spool</firstAttempt>
 *     <tlsPolicy>file://conf/tls_policy</tlsPolicy>
 *     <tlsSecurityLevel>dane</tlsSecurityLevel>
 *     <mtaSts>true</mtaSts>
 *     <dnssecResolver>127.0.0.1</dnssecResolver>
 *     <mtaStsCaFile></mtaStsCaFile>
 * </mailet>
 * }</pre>
 * TLS (docs/tls.md): {@code tlsPolicy} is a Postfix {@code smtp_tls_policy_maps} table that pins a destination's level;
 * {@code tlsSecurityLevel} (Postfix {@code smtp_tls_security_level}) is the level of direct delivery elsewhere,
 * {@code dane} by default, which is {@code may} unless the resolver validates the domain's DNSSEC; {@code mtaSts}
 * applies the recipient domains' MTA-STS policies ({@link DnsStsPolicies}: looked up through the DNS servers of
 * {@code dnsservice.xml}, cached in {@code var/mta-sts/}), whose hosts' certificates chain to the JDK's authorities
 * or, when {@code mtaStsCaFile} names a PEM file, to its. Precedence: table, DANE, MTA-STS, level. DANE trusts the
 * AD bit of the validating resolver {@code dnssecResolver} ({@code ip[:port]}; by default the first DNS server of
 * {@code dnsservice.xml} when it is on loopback, else DANE is off), which must be on loopback or reached over a trusted
 * path.
 * Without {@code routes}, everything goes direct. An empty {@code delayWarningTime} sends no warnings.
 * {@code connectionCacheTime} (Postfix {@code smtp_connection_cache_time_limit}) keeps a connection open that long
 * after a message for the next message to the same host; {@code 0s} opens one connection per message.
 * The parts: {@link DeliverySettings} (the parameters), {@link OutgoingQueue} (the queue and its threads),
 * {@link MailDelivery} (one attempt of one mail), {@link RouteAttempt} (the hosts of one route), {@link Trouble}
 * (each recipient's outcome), {@link RetryPolicy} (when to retry, when to give up), {@link Bouncer} (reports).
 * Each TLS negotiation with a recipient domain's host is counted for TLS-RPT ({@link TlsReports}, set in
 * {@code events.xml}).
 */
public class RouteDelivery extends GenericMailet {
    public static final String ROUTES = "routes";
    public static final String OUTGOING_QUEUE = "outgoingQueue";
    public static final String DELIVERY_THREADS = "deliveryThreads";
    public static final String HELO_NAME = "heloName";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    public static final String TIMEOUT = "timeout";
    public static final String RETRY_SCHEDULE = "retrySchedule";
    public static final String MAX_QUEUE_LIFETIME = "maxQueueLifetime";
    public static final String DELAY_WARNING_TIME = "delayWarningTime";
    public static final String BOUNCE_PROCESSOR = "bounceProcessor";
    public static final String CONNECTION_CACHE_TIME = "connectionCacheTime";
    /** {@code spool}: first attempt on the spooler thread; {@code queue}: every mail through outgoingQueue first. */
    public static final String FIRST_ATTEMPT = "firstAttempt";
    /** The TLS policy table (Postfix smtp_tls_policy_maps); default {@code file://conf/tls_policy} when it exists. */
    public static final String TLS_POLICY = "tlsPolicy";
    /** Postfix smtp_tls_security_level for direct delivery: none, may, encrypt, dane (default), verify or secure. */
    public static final String TLS_SECURITY_LEVEL = "tlsSecurityLevel";
    /** Whether direct delivery applies MTA-STS policies (RFC 8461): true (default) or false. */
    public static final String MTA_STS = "mtaSts";
    /** The DNSSEC-validating resolver whose AD bit DANE trusts: ip[:port]; default the first DNS server James uses. */
    public static final String DNSSEC_RESOLVER = "dnssecResolver";
    /** PEM authorities MTA-STS policy hosts chain to, instead of the JDK's (a private authority, or a test one). */
    public static final String MTA_STS_CA_FILE = "mtaStsCaFile";
    /** The MTA-STS policy cache, under the server's base directory. */
    static final String MTA_STS_CACHE = "var/mta-sts";
    static final Set<String> PARAMETERS = Set.of(ROUTES, OUTGOING_QUEUE, DELIVERY_THREADS, HELO_NAME, CONNECT_TIMEOUT,
        TIMEOUT, RETRY_SCHEDULE, MAX_QUEUE_LIFETIME, DELAY_WARNING_TIME, BOUNCE_PROCESSOR, CONNECTION_CACHE_TIME, FIRST_ATTEMPT,
        TLS_POLICY, TLS_SECURITY_LEVEL, MTA_STS, MTA_STS_CA_FILE, DNSSEC_RESOLVER);
    /** How long a DANE query waits for the validating resolver (on loopback, normally). */
    private static final Duration DNSSEC_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteDelivery.class);
    /** Postfix smtp_connection_reuse_time_limit: no connection is used for longer. */
    private static final Duration CONNECTION_REUSE_LIMIT = Duration.ofSeconds(300);

    private final DNSService dns;
    private final MailQueueFactory<?> queueFactory;
    private final FileSystem fileSystem;
    private final Clock clock;
    private final String serverName;
    /** The servers of {@code dnsservice.xml} ({@link DnsServers}). */
    private final List<String> dnsServers;
    private final SuppressionList suppressions;
    private final Events events;
    private final TlsResults tlsResults;

    private FirstAttempt firstAttempt;
    private ConnectionCache connections;
    private Scheduler sweeper;
    private Disposable sweeping;
    private OutgoingQueue queue;

    @Inject
    public RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem, ConfigurationProvider configuration,
                         SuppressionList suppressions, Events events, TlsReports tlsReports) throws ConfigurationException {
        this(dns, queueFactory, fileSystem, Clock.systemUTC(), HeloName.of(configuration), DnsServers.of(configuration),
            suppressions, events, tlsReports.results());
    }

    /**
     * @param dnsServers the servers of {@code dnsservice.xml}: where MTA-STS records are looked up, and the first
     *     DANE's resolver unless {@code dnssecResolver} is set
     * @param tlsResults where each TLS negotiation is told, for TLS-RPT
     */
    RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem, Clock clock, String serverName,
                  List<String> dnsServers, SuppressionList suppressions, Events events, TlsResults tlsResults) {
        this.dns = dns;
        this.queueFactory = queueFactory;
        this.fileSystem = fileSystem;
        this.clock = clock;
        this.serverName = serverName;
        this.dnsServers = dnsServers;
        this.suppressions = suppressions;
        this.events = events;
        this.tlsResults = tlsResults;
    }

    @Override
    public String getMailetInfo() {
        return "Delivery by route table: direct MX or smart hosts with failover";
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        DeliverySettings settings;
        RouteAttempt attempt;
        try {
            settings = DeliverySettings.from(getMailetConfig(), serverName);
            connections = new ConnectionCache(settings.connectionCacheTime(), CONNECTION_REUSE_LIMIT);
            attempt = new RouteAttempt(settings, dns, tlsPolicy(settings), stsPolicies(settings), daneRecords(settings),
                DaneCheck.factory(clock), tlsResults, connections, clock);
        } catch (IllegalArgumentException e) {
            throw new MailetException(getMailetName() + ": " + e.getMessage(), e);
        }
        Supplier<RouteTable> routes = routes(settings);
        firstAttempt = settings.firstAttempt();
        DeliveryEvents deliveryEvents = new DeliveryEvents(events, clock);
        MailDelivery delivery = new MailDelivery(routes, attempt, settings.retry(),
            new Bouncer(getMailetContext(), settings.bounceProcessor()), suppressions, deliveryEvents, clock);
        queue = new OutgoingQueue(queueFactory.createQueue(MailQueueName.of(settings.outgoingQueue())),
            settings.deliveryThreads(), delivery::deliver, deliveryEvents);
        sweeper = Schedulers.newSingle("route-delivery-connections");
        sweeping = sweeper.schedulePeriodically(connections::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Delivers the mail now, or queues it for delivery; as new even when reprocessed from a repository. Either way
     * the pipeline is done with it.
     */
    @Override
    public void service(Mail mail) throws MessagingException {
        DeliveryAttributes.startOver(mail, clock.instant());
        if (firstAttempt == FirstAttempt.SPOOL) {
            queue.attemptNow(mail);
        } else {
            queue.enqueue(mail);
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public void destroy() {
        if (queue != null) {
            queue.close();
            sweeping.dispose();
            sweeper.dispose();
            connections.close();
        }
    }

    /**
     * The route table as the file says now (a {@link WatchedFile}: a change that does not load keeps the routes in
     * force); without a {@code routes} parameter, everything direct.
     */
    private Supplier<RouteTable> routes(DeliverySettings settings) throws MessagingException {
        if (settings.routes().isEmpty()) {
            RouteTable direct = RouteTable.parse(List.of(), ROUTES);
            return () -> direct;
        }
        String url = settings.routes().get();
        try {
            Path file = fileSystem.getFile(url).toPath();
            return WatchedFile.load(getMailetName() + " routes", List.of(file), () -> loadRoutes(url, file));
        } catch (FileNotFoundException e) {
            throw new MailetException(getMailetName() + ": <" + ROUTES + "> " + url + " does not exist", e);
        } catch (IOException e) {
            throw new MailetException(getMailetName() + ": <" + ROUTES + "> " + url + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MailetException(getMailetName() + ": " + e.getMessage(), e);
        }
    }

    /** Without {@code mtaSts}, none: no lookup, no {@code var/mta-sts/}. */
    private StsPolicies stsPolicies(DeliverySettings settings) throws MessagingException {
        if (!settings.mtaSts()) {
            return StsPolicies.NONE;
        }
        try {
            Path base = fileSystem.getBasedir().toPath();
            TrustAnchors authorities = settings.mtaStsCaFile().map(file -> caFile(base.resolve(file))).orElseGet(TrustAnchors::jdk);
            return DnsStsPolicies.open(DnsServers.resolver(dnsServers), authorities, base.resolve(MTA_STS_CACHE), clock);
        } catch (IOException e) {
            throw new MailetException(getMailetName() + ": MTA-STS cache " + MTA_STS_CACHE + ": " + e.getMessage(), e);
        }
    }

    private static TrustAnchors caFile(Path file) {
        try {
            return TrustAnchors.pem(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("<" + MTA_STS_CA_FILE + "> " + e.getMessage(), e);
        }
    }

    /**
     * The TLS policy table as the file says now, watched as the routes are; the default file may be missing (or made
     * later, by webadmin): then the table is empty, while a {@code tlsPolicy} that names a missing file stops start-up.
     */
    private Supplier<TlsPolicyTable> tlsPolicy(DeliverySettings settings) throws MessagingException {
        String url = settings.tlsPolicy().orElse(DeliverySettings.DEFAULT_TLS_POLICY);
        try {
            Path file = fileSystem.getFile(url).toPath();
            if (settings.tlsPolicy().isPresent() && !Files.exists(file)) {
                throw new MailetException(getMailetName() + ": <" + TLS_POLICY + "> " + url + " does not exist");
            }
            return WatchedFile.load(getMailetName() + " TLS policy", List.of(file),
                () -> TlsPolicyTable.load(TableFile.read(file), file));
        } catch (IOException e) {
            throw new MailetException(getMailetName() + ": <" + TLS_POLICY + "> " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The resolver DANE trusts: {@code dnssecResolver}, else the first DNS server when it is on loopback. A remote
     * resolver is not trusted by default: whoever can forge its answers and their AD bit could override a domain's
     * MTA-STS policy with TLSA records of their own (DANE takes precedence).
     */
    private DaneRecords daneRecords(DeliverySettings settings) {
        Optional<InetSocketAddress> configured = settings.dnssecResolver();
        Optional<InetSocketAddress> resolver = configured.or(() -> firstDnsServer().filter(server -> server.getAddress().isLoopbackAddress()));
        if (resolver.isEmpty()) {
            LOGGER.info("{}: DANE is off: <{}> is not set and the first DNS server ({}) is not on loopback, so no answer's AD"
                + " bit can be trusted (docs/tls.md#trust-model)", getMailetName(), DNSSEC_RESOLVER, dnsServers.get(0));
            return DaneRecords.NONE;
        }
        if (resolver.get().getAddress().isLoopbackAddress()) {
            LOGGER.info("{}: DANE trusts the AD bit of the validating resolver {}", getMailetName(), resolver.get());
        } else {
            LOGGER.warn("{}: DANE trusts the AD bit of the validating resolver {}, which is not on loopback: the path to"
                + " it must be one nobody can tamper with (docs/tls.md, <{}>)", getMailetName(), resolver.get(), DNSSEC_RESOLVER);
        }
        return ResolverDaneRecords.using(resolver.get(), DNSSEC_TIMEOUT, clock);
    }

    private Optional<InetSocketAddress> firstDnsServer() {
        try {
            return Optional.of(ResolverDaneRecords.parseAddress(dnsServers.get(0)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private RouteTable loadRoutes(String url, Path file) throws IOException {
        try (InputStream in = fileSystem.getResource(url)) {
            return RouteTable.load(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), file);
        }
    }
}

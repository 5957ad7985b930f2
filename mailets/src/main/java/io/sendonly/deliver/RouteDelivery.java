package io.sendonly.deliver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

import io.sendonly.config.TableFile;
import io.sendonly.config.WatchedFile;
import io.sendonly.deliver.DeliverySettings.FirstAttempt;
import io.sendonly.events.Events;
import io.sendonly.route.RouteTable;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.PeerCheck;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResults;
import io.sendonly.tls.TlsaLookup;
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
 * </mailet>
 * }</pre>
 * TLS (docs/tls.md): {@code tlsPolicy} is a Postfix {@code smtp_tls_policy_maps} table that pins a destination's level;
 * {@code tlsSecurityLevel} (Postfix {@code smtp_tls_security_level}) is the level of direct delivery elsewhere,
 * {@code dane} by default, which is {@code may} unless the resolver validates the domain's DNSSEC; {@code mtaSts}
 * applies the recipient domains' MTA-STS policies. Precedence: table, DANE, MTA-STS, level.
 * Without {@code routes}, everything goes direct. An empty {@code delayWarningTime} sends no warnings.
 * {@code connectionCacheTime} (Postfix {@code smtp_connection_cache_time_limit}) keeps a connection open that long
 * after a message for the next message to the same host; {@code 0s} opens one connection per message.
 * The parts: {@link DeliverySettings} (the parameters), {@link OutgoingQueue} (the queue and its threads),
 * {@link MailDelivery} (one attempt of one mail), {@link RouteAttempt} (the hosts of one route), {@link Trouble}
 * (each recipient's outcome), {@link RetryPolicy} (when to retry, when to give up), {@link Bouncer} (reports).
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
    static final Set<String> PARAMETERS = Set.of(ROUTES, OUTGOING_QUEUE, DELIVERY_THREADS, HELO_NAME, CONNECT_TIMEOUT,
        TIMEOUT, RETRY_SCHEDULE, MAX_QUEUE_LIFETIME, DELAY_WARNING_TIME, BOUNCE_PROCESSOR, CONNECTION_CACHE_TIME, FIRST_ATTEMPT,
        TLS_POLICY, TLS_SECURITY_LEVEL, MTA_STS);
    /** Until a DANE check is wired, no TLSA record is usable ({@link DaneRecords#NONE}): reaching this is a wiring error. */
    private static final Function<TlsaLookup.Usable, PeerCheck> NO_DANE_CHECK = usable -> {
        throw new IllegalStateException("usable TLSA records, but no DANE check to hold a certificate to them");
    };
    /** Postfix smtp_connection_reuse_time_limit: no connection is used for longer. */
    private static final Duration CONNECTION_REUSE_LIMIT = Duration.ofSeconds(300);

    private final DNSService dns;
    private final MailQueueFactory<?> queueFactory;
    private final FileSystem fileSystem;
    private final Clock clock;
    private final String serverName;
    private final SuppressionList suppressions;
    private final Events events;

    private FirstAttempt firstAttempt;
    private ConnectionCache connections;
    private Scheduler sweeper;
    private Disposable sweeping;
    private OutgoingQueue queue;

    @Inject
    public RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem, ConfigurationProvider configuration,
                         SuppressionList suppressions, Events events) throws ConfigurationException {
        this(dns, queueFactory, fileSystem, Clock.systemUTC(), HeloName.of(configuration), suppressions, events);
    }

    RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem, Clock clock, String serverName,
                  SuppressionList suppressions, Events events) {
        this.dns = dns;
        this.queueFactory = queueFactory;
        this.fileSystem = fileSystem;
        this.clock = clock;
        this.serverName = serverName;
        this.suppressions = suppressions;
        this.events = events;
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
            attempt = new RouteAttempt(settings, dns, tlsPolicy(settings), StsPolicies.NONE, DaneRecords.NONE, NO_DANE_CHECK,
                TlsResults.IGNORED, connections, clock);
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

    private RouteTable loadRoutes(String url, Path file) throws IOException {
        try (InputStream in = fileSystem.getResource(url)) {
            return RouteTable.load(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), file);
        }
    }
}

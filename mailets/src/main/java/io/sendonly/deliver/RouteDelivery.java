package io.sendonly.deliver;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetException;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.Durations;
import io.sendonly.config.FileVersion;
import io.sendonly.deliver.DeliveryAttributes.Report;
import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.mime.MessageBytes;
import io.sendonly.route.RouteTable;
import io.sendonly.route.RouteTable.Route;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
 * tells the sender and the admin.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.deliver.RouteDelivery">
 *     <routes>file://conf/routes</routes>
 *     <outgoingQueue>outgoing</outgoingQueue>
 *     <deliveryThreads>8</deliveryThreads>
 *     <heloName>mail.example.com</heloName>
 *     <connectTimeout>30s</connectTimeout>
 *     <timeout>300s</timeout>
 *     <retrySchedule>5m, 10m, 20m, 40m, 1h</retrySchedule>
 *     <maxQueueLifetime>5d</maxQueueLifetime>
 *     <delayWarningTime>4h</delayWarningTime>
 *     <bounceProcessor>bounces</bounceProcessor>
 *     <connectionCacheTime>2s</connectionCacheTime>
 *     <firstAttempt>spool</firstAttempt>
 * </mailet>
 * }</pre>
 * Without {@code routes}, everything goes direct. An empty {@code delayWarningTime} sends no warnings.
 * {@code connectionCacheTime} (Postfix {@code smtp_connection_cache_time_limit}) keeps a connection open that long
 * after a message for the next message to the same host; {@code 0s} opens one connection per message.
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
    private static final Set<String> PARAMETERS = Set.of(ROUTES, OUTGOING_QUEUE, DELIVERY_THREADS, HELO_NAME, CONNECT_TIMEOUT,
        TIMEOUT, RETRY_SCHEDULE, MAX_QUEUE_LIFETIME, DELAY_WARNING_TIME, BOUNCE_PROCESSOR, CONNECTION_CACHE_TIME, FIRST_ATTEMPT);
    /** Postfix smtp_connection_reuse_time_limit: no connection is used for longer. */
    private static final Duration CONNECTION_REUSE_LIMIT = Duration.ofSeconds(300);
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteDelivery.class);

    private final DNSService dns;
    private final MailQueueFactory<?> queueFactory;
    private final FileSystem fileSystem;
    private final Clock clock;
    private record LoadedRoutes(RouteTable table, Optional<FileVersion> version) {
    }

    private Optional<Path> routesFile;
    private volatile LoadedRoutes routes;
    private DeliverySettings settings;
    private RouteAttempt attempt;
    private ConnectionCache connections;
    private Disposable sweeping;
    private String bounceProcessor;
    private boolean firstAttemptOnSpool;
    private MailQueue queue;
    private Scheduler scheduler;
    private Scheduler dequeueScheduler;
    private Disposable dequeuing;

    @Inject
    public RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem) {
        this(dns, queueFactory, fileSystem, Clock.systemUTC());
    }

    RouteDelivery(DNSService dns, MailQueueFactory<?> queueFactory, FileSystem fileSystem, Clock clock) {
        this.dns = dns;
        this.queueFactory = queueFactory;
        this.fileSystem = fileSystem;
        this.clock = clock;
    }

    @Override
    public String getMailetInfo() {
        return "Delivery by route table: direct MX or smart hosts with failover";
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        int threads;
        try {
            threads = positive(getInitParameter(DELIVERY_THREADS, "8"), DELIVERY_THREADS);
            routesFile = routesFile();
            routes = new LoadedRoutes(loadRoutes(), routesFile.flatMap(FileVersion::of));
            settings = new DeliverySettings(
                getInitParameter(HELO_NAME, localHostName()),
                millis(getInitParameter(CONNECT_TIMEOUT, "30s"), CONNECT_TIMEOUT),
                millis(getInitParameter(TIMEOUT, "300s"), TIMEOUT),
                schedule(getInitParameter(RETRY_SCHEDULE, "5m, 10m, 20m, 40m, 1h")),
                Durations.parse(getInitParameter(MAX_QUEUE_LIFETIME, "5d"), MAX_QUEUE_LIFETIME),
                Optional.of(getInitParameter(DELAY_WARNING_TIME, "4h")).filter(value -> !value.isBlank())
                    .map(value -> Durations.parse(value, DELAY_WARNING_TIME)));
            connections = new ConnectionCache(Durations.parse(getInitParameter(CONNECTION_CACHE_TIME, "2s"), CONNECTION_CACHE_TIME),
                CONNECTION_REUSE_LIMIT);
            attempt = new RouteAttempt(settings, dns, new TlsContexts(), connections);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new MailetException(getMailetName() + ": " + e.getMessage(), e);
        }
        bounceProcessor = getInitParameter(BOUNCE_PROCESSOR, "bounces");
        String firstAttempt = getInitParameter(FIRST_ATTEMPT, "spool").trim();
        if (!firstAttempt.equals("spool") && !firstAttempt.equals("queue")) {
            throw new MailetException(getMailetName() + ": <" + FIRST_ATTEMPT + "> '" + firstAttempt + "': expected spool or queue");
        }
        firstAttemptOnSpool = firstAttempt.equals("spool");
        queue = queueFactory.createQueue(MailQueueName.of(getInitParameter(OUTGOING_QUEUE, "outgoing")));
        scheduler = Schedulers.newBoundedElastic(threads, Integer.MAX_VALUE, "route-delivery");
        // The JMS queue blocks while it waits for mail (10 s per empty receive, then again): it gets a thread of its
        // own, and every request for more mail is made on that thread. Subscribed on it only at the end of the chain,
        // the dequeue loop ran on whichever delivery thread finished a mail and asked for the next one; a mail
        // dequeued there could be queued behind that same thread's endless receive loop, never delivered (seen at the
        // end of a backlog drain: one mail received, its consumer awaiting an ack, the thread in receive).
        dequeueScheduler = Schedulers.newSingle("route-delivery-dequeue");
        dequeuing = Flux.from(queue.deQueue())
            .subscribeOn(dequeueScheduler)
            .flatMap(item -> Mono.fromRunnable(() -> process(item)).subscribeOn(scheduler), threads)
            .onErrorContinue((error, item) -> LOGGER.error("delivery loop error", error))
            .subscribe();
        sweeping = scheduler.schedulePeriodically(connections::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Delivers the mail now, or queues it for delivery; as new even when reprocessed from a repository. Either way
     * the pipeline is done with it.
     */
    @Override
    public void service(Mail mail) throws MessagingException {
        DeliveryAttributes.startOver(mail, clock.instant());
        if (firstAttemptOnSpool) {
            try {
                deliver(mail);
            } catch (RuntimeException | MessagingException e) {
                // As a delivery thread does: the mail stays queued (here: is queued) for another attempt.
                LOGGER.error("Delivery of {} failed unexpectedly; queued for another attempt", mail.getName(), e);
                queue.enQueue(mail);
            }
        } else {
            queue.enQueue(mail);
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public void destroy() {
        if (dequeuing != null) {
            dequeuing.dispose();
            sweeping.dispose();
            connections.close();
            // Not dispose(): interrupting the queue's blocking receive logs an error; the receive ends by itself.
            dequeueScheduler.disposeGracefully().subscribe();
            scheduler.dispose();
        }
    }

    private void process(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            deliver(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("Delivery of {} failed unexpectedly; it stays queued", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Exception retry) {
                LOGGER.error("Could not put {} back in the queue", mail.getName(), retry);
            }
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    private void deliver(Mail mail) throws MessagingException {
        byte[] message = messageBytes(mail);
        boolean eightBit = eightBit(message);
        String sender = mail.getMaybeSender().asString("");
        Optional<String> senderDomain = mail.getMaybeSender().asOptional().map(address -> address.getDomain().asString());
        RouteTable table = routes();
        Map<Object, List<MailAddress>> groups = new LinkedHashMap<>();
        Map<Object, Route> groupRoutes = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Route route = table.route(recipient.getDomain().asString(), senderDomain);
            // A direct route is per recipient domain (its MX); a smart-host route takes every domain at once.
            Object key = route.direct() ? recipient.getDomain() : route;
            groups.computeIfAbsent(key, any -> new ArrayList<>()).add(recipient);
            groupRoutes.put(key, route);
        }
        List<RecipientResult> results = new ArrayList<>();
        groups.forEach((key, recipients) -> results.addAll(attempt.deliver(groupRoutes.get(key),
            recipients.get(0).getDomain().asString(), sender, recipients, message, eightBit)));
        settle(mail, results);
    }

    /** Logs each result, then re-queues the deferred recipients or reports them as expired, and reports the failed. */
    private void settle(Mail mail, List<RecipientResult> results) throws MessagingException {
        Instant queuedAt = DeliveryAttributes.queuedAt(mail).orElse(clock.instant());
        Duration queued = Duration.between(queuedAt, clock.instant());
        boolean expired = queued.compareTo(settings.maxQueueLifetime()) >= 0;
        List<RecipientResult> failed = new ArrayList<>();
        List<RecipientResult> deferred = new ArrayList<>();
        for (RecipientResult result : results) {
            RecipientResult settled = result.outcome() == Outcome.DEFERRED && expired ? result.expired() : result;
            LOGGER.info("{}: to=<{}>, relay={}, delay={}s, status={} {} ({})", mail.getName(), settled.recipient().asString(),
                settled.remoteMta().isEmpty() ? "none" : settled.remoteMta(), queued.toSeconds(),
                settled.outcome().name().toLowerCase(), settled.status(), settled.diagnostic());
            if (settled.outcome() == Outcome.FAILED) {
                failed.add(settled);
            } else if (settled.outcome() == Outcome.DEFERRED) {
                deferred.add(settled);
            }
        }
        if (!failed.isEmpty()) {
            report(mail, Report.FAILED, failed);
        }
        if (!deferred.isEmpty()) {
            boolean warn = settings.delayWarning().filter(delay -> queued.compareTo(delay) >= 0).isPresent()
                && !DeliveryAttributes.warned(mail);
            if (warn) {
                report(mail, Report.DELAYED, deferred);
                DeliveryAttributes.markWarned(mail);
            }
            int retries = DeliveryAttributes.retries(mail) + 1;
            DeliveryAttributes.retries(mail, retries);
            mail.setRecipients(deferred.stream().map(RecipientResult::recipient).toList());
            // The queue keeps the error message: mailq shows it as the deferral reason.
            mail.setErrorMessage(deferred.stream().map(RecipientResult::explanation).distinct().collect(Collectors.joining("; ")));
            queue.enQueue(mail, settings.delayBeforeRetry(retries));
        }
    }

    /** A copy of the mail, for the recipients concerned, to the bounce processor. */
    private void report(Mail mail, Report report, List<RecipientResult> results) throws MessagingException {
        Mail copy = mail.duplicate();
        copy.setRecipients(results.stream().map(RecipientResult::recipient).toList());
        DeliveryAttributes.report(copy, report, results);
        try {
            getMailetContext().sendMail(copy, bounceProcessor);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    /** The bytes to send: CRLF line ends, as SMTP wants and as the DKIM signature was computed over. */
    private static byte[] messageBytes(Mail mail) throws MessagingException {
        byte[] bytes = MessageBytes.of(mail.getMessage());
        ByteArrayOutputStream crlf = null;
        for (int i = 0; i < bytes.length; i++) {
            boolean bareLf = bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r');
            boolean bareCr = bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n');
            if ((bareLf || bareCr) && crlf == null) {
                crlf = new ByteArrayOutputStream(bytes.length + 256);
                crlf.write(bytes, 0, i);
            }
            if (crlf != null) {
                if (bareLf || bareCr) {
                    crlf.write('\r');
                    crlf.write('\n');
                } else {
                    crlf.write(bytes[i]);
                }
            }
        }
        return crlf == null ? bytes : crlf.toByteArray();
    }

    private static boolean eightBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The route table as conf/routes says now: read again when the file changed (webadmin, an edit). A change
     * that does not load keeps the routes in force, with an error line.
     */
    private RouteTable routes() {
        LoadedRoutes current = routes;
        Optional<FileVersion> version = routesFile.flatMap(FileVersion::of);
        if (routesFile.isEmpty() || version.equals(current.version())) {
            return current.table();
        }
        synchronized (this) {
            if (!version.equals(routes.version())) {
                try {
                    routes = new LoadedRoutes(loadRoutes(), version);
                    LOGGER.info("{}: {} changed, routes loaded again", getMailetName(), routesFile.get());
                } catch (MessagingException | IllegalArgumentException e) {
                    routes = new LoadedRoutes(routes.table(), version);
                    LOGGER.error("{}: {} changed but does not load ({}); the routes in force stay", getMailetName(),
                        routesFile.get(), e.getMessage());
                }
            }
            return routes.table();
        }
    }

    private Optional<Path> routesFile() {
        String url = getInitParameter(ROUTES);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fileSystem.getFile(url.trim()).toPath());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private RouteTable loadRoutes() throws MessagingException {
        String url = getInitParameter(ROUTES);
        if (url == null || url.isBlank()) {
            return RouteTable.parse(List.of(), ROUTES);
        }
        try (InputStream in = fileSystem.getResource(url.trim())) {
            Path file = fileSystem.getFile(url.trim()).toPath();
            return RouteTable.load(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), file);
        } catch (FileNotFoundException e) {
            throw new MailetException(getMailetName() + ": <" + ROUTES + "> " + url + " does not exist", e);
        } catch (IOException e) {
            throw new MailetException(getMailetName() + ": <" + ROUTES + "> " + url + ": " + e.getMessage(), e);
        }
    }

    private static List<Duration> schedule(String value) {
        List<Duration> delays = Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty())
            .map(item -> Durations.parse(item, RETRY_SCHEDULE)).toList();
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("<" + RETRY_SCHEDULE + "> needs at least one delay, e.g. 5m, 10m, 20m, 40m, 1h");
        }
        return delays;
    }

    private static int millis(String value, String parameter) {
        return (int) Math.min(Integer.MAX_VALUE, Durations.parse(value, parameter).toMillis());
    }

    private static int positive(String value, String parameter) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("<" + parameter + "> '" + value + "': expected a positive number");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}

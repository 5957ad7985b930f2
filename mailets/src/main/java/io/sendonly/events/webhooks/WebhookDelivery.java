package io.sendonly.events.webhooks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.events.log.EventJson;

/**
 * One webhook's two threads. The spooler takes the events that the mail threads {@link #offer} to a bounded memory
 * buffer and appends them to the {@link WebhookSpool}, a batch per fsync. The sender POSTs the spooled events one
 * per request, in order, and removes each on a 2xx answer; on any other answer or no answer it waits
 * ({@link Backoff}) and sends the same event again. A mail thread never waits: when the buffer is full, because the
 * disk cannot be written, the event is dropped and counted in the log.
 */
final class WebhookDelivery {
    static final int BUFFERED = 10_000;
    static final int BATCH = 1_000;
    static final Duration SPOOL_RETRY = Duration.ofSeconds(1);
    /** A full disk fails every second: the log says so once a minute. */
    static final int FAILED_WRITES_LOGGED_EVERY = 60;
    /** How often, at most, a run of acknowledgements is written down: what a crash can send twice. */
    static final Duration PERSIST_PERIOD = Duration.ofSeconds(1);
    public static final String EVENT_ID = "X-Sendonly-Event-Id";
    public static final String TIMESTAMP = "X-Sendonly-Timestamp";
    public static final String SIGNATURE = "X-Sendonly-Signature";
    private static final Logger LOGGER = LoggerFactory.getLogger(WebhookDelivery.class);

    private final Webhook webhook;
    private final WebhookSpool spool;
    private final HttpClient client;
    private final Backoff backoff;
    private final Clock clock;
    private final BlockingQueue<String> buffer = new ArrayBlockingQueue<>(BUFFERED);
    private final Semaphore spooled = new Semaphore(0);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread spooler;
    private final Thread sender;
    private volatile boolean stopping;

    WebhookDelivery(Webhook webhook, WebhookSpool spool, HttpClient client, Backoff backoff, Clock clock) {
        this.webhook = webhook;
        this.spool = spool;
        this.client = client;
        this.backoff = backoff;
        this.clock = clock;
        this.spooler = new Thread(this::spoolAll, "webhook-" + webhook.name() + "-spool");
        this.sender = new Thread(this::sendAll, "webhook-" + webhook.name() + "-send");
        spooler.setDaemon(true);
        sender.setDaemon(true);
    }

    Webhook webhook() {
        return webhook;
    }

    void start() {
        spooler.start();
        sender.start();
    }

    /** From a mail thread: never blocks. */
    void offer(String json) {
        if (!buffer.offer(json) && dropped.getAndIncrement() % BUFFERED == 0) {
            LOGGER.error("Webhook {}: {} events dropped so far: its spool under var/webhooks/ cannot be written as fast as events come "
                + "(disk full or failing?)", webhook.name(), dropped.get());
        }
    }

    /** Spools what is buffered, then stops both threads; what was not yet sent is sent after the next start. */
    void stop() throws InterruptedException, IOException {
        stopping = true;
        spooler.join(TimeUnit.SECONDS.toMillis(30));
        sender.interrupt();
        sender.join(TimeUnit.SECONDS.toMillis(30));
        spool.close();
    }

    private void spoolAll() {
        List<String> batch = new ArrayList<>();
        long failedWrites = 0;
        while (!stopping || !buffer.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    String first = stopping ? buffer.poll() : buffer.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                buffer.drainTo(batch, BATCH - batch.size());
                spool.append(batch);
                batch.clear();
                failedWrites = 0;
                spooled.release();
            } catch (InterruptedException e) {
                stopping = true;
            } catch (IOException e) {
                if (stopping) {
                    LOGGER.error("Webhook {}: stopping; {} events lost: its spool cannot be written", webhook.name(),
                        batch.size() + buffer.size(), e);
                    return;
                }
                if (failedWrites++ % FAILED_WRITES_LOGGED_EVERY == 0) {
                    LOGGER.error("Webhook {}: cannot write its spool ({} times in a row); {} events kept in memory, retrying each {}",
                        webhook.name(), failedWrites, batch.size() + buffer.size(), SPOOL_RETRY, e);
                }
                pause(SPOOL_RETRY);
            }
        }
    }

    private void sendAll() {
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<WebhookSpool.Entry> entries = spool.pending(BATCH);
                if (entries.isEmpty()) {
                    spooled.tryAcquire(1, TimeUnit.SECONDS);
                    spooled.drainPermits();
                }
                long persisted = System.nanoTime();
                for (WebhookSpool.Entry entry : entries) {
                    while (!send(entry)) {
                        failures++;
                        spool.persistAcknowledged();
                        Thread.sleep(backoff.after(failures).toMillis());
                    }
                    failures = 0;
                    spool.acknowledge(entry);
                    if (System.nanoTime() - persisted > PERSIST_PERIOD.toNanos()) {
                        spool.persistAcknowledged();
                        persisted = System.nanoTime();
                    }
                }
                spool.persistAcknowledged();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOGGER.error("Webhook {}: cannot read or update its spool; retrying", webhook.name(), e);
                if (!pause(SPOOL_RETRY)) {
                    return;
                }
            }
        }
    }

    /** True when the receiver answered 2xx; a line that is not an event (torn by a crash) counts as sent. */
    private boolean send(WebhookSpool.Entry entry) throws InterruptedException {
        Optional<String> id = EventJson.idOf(entry.json());
        if (id.isEmpty()) {
            LOGGER.warn("Webhook {}: skipped a spooled line that is not an event ({} bytes)", webhook.name(), entry.json().length());
            return true;
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(webhook.url())
            .timeout(webhook.timeout())
            .header("Content-Type", "application/json")
            .header(EVENT_ID, id.get())
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, WebhookSignature.sign(webhook.secret(), timestamp, entry.json()))
            .POST(HttpRequest.BodyPublishers.ofString(entry.json()))
            .build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return true;
            }
            LOGGER.warn("Webhook {}: {} answered {} to event {}; will retry", webhook.name(), webhook.url().getHost(), status, id.get());
        } catch (IOException e) {
            LOGGER.warn("Webhook {}: {} unreachable for event {} ({}); will retry", webhook.name(), webhook.url().getHost(), id.get(),
                e.toString());
        }
        return false;
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

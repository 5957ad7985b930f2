package io.sendonly.server.tlsrpt;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.server.BackgroundThread;
import io.sendonly.tlsrpt.TlsReports;

/**
 * The one thread of TLS-RPT: writes the counts every minute (a kill -9 loses at most that minute), and sends the
 * reports of the days that ended each day at {@code <sendAt>} (UTC); at a clean stop, writes the counts once more.
 * Nothing runs when TLS-RPT is disabled. A server down at {@code sendAt} sends the missed days at the next one.
 */
public class TlsReportSchedule implements Startable {
    static final Duration FLUSH_PERIOD = Duration.ofMinutes(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsReportSchedule.class);

    private final TlsReports reports;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    @Inject
    TlsReportSchedule(TlsReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    public synchronized void start() {
        if (!reports.settings().enabled() || scheduler != null) {
            return;
        }
        scheduler = BackgroundThread.named("tls-rpt");
        scheduler.scheduleAtFixedRate(this::flush, FLUSH_PERIOD.toMillis(), FLUSH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        scheduleNextSending();
    }

    /** From {@code now}, the wait until the next {@code at} (UTC): tomorrow's when today's is now or past. */
    static Duration untilNext(Instant now, LocalTime at) {
        ZonedDateTime today = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(at).atZone(ZoneOffset.UTC);
        ZonedDateTime next = today.toInstant().isAfter(now) ? today : today.plusDays(1);
        return Duration.between(now, next.toInstant());
    }

    private void scheduleNextSending() {
        Duration wait = untilNext(clock.instant(), reports.settings().sendAt());
        scheduler.schedule(this::send, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send() {
        try {
            reports.sendEnded();
        } catch (IOException | RuntimeException e) {
            LOGGER.error("TLS reports: sending the reports of the days that ended failed; the next run tries again", e);
        } finally {
            scheduleNextSending();
        }
    }

    private void flush() {
        try {
            reports.flush();
        } catch (IOException | RuntimeException e) {
            LOGGER.error("TLS reports: writing the counts failed; kept in memory, tried again in {}", FLUSH_PERIOD, e);
        }
    }

    @PreDestroy
    public synchronized void stop() throws InterruptedException {
        if (scheduler == null) {
            return;
        }
        BackgroundThread.stop(scheduler);
        scheduler = null;
        flush();
    }
}

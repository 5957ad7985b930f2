package io.sendonly.server.preflight;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.preflight.Check;
import io.sendonly.preflight.DomainReport;
import io.sendonly.preflight.Report;
import io.sendonly.preflight.Status;
import io.sendonly.webadmin.ConfiguredPreflight;

/**
 * The preflight once after start, on its own thread, so that slow or absent DNS never delays start-up nor fails it:
 * one INFO line per sending domain with its counts, one WARN line per failed check with the record to publish.
 */
public class StartupPreflight implements Startable {
    private static final Logger LOGGER = LoggerFactory.getLogger(StartupPreflight.class);

    private final ConfiguredPreflight preflight;
    private Thread thread;

    @Inject
    public StartupPreflight(ConfiguredPreflight preflight) {
        this.preflight = preflight;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "preflight");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    public synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        try {
            Report report = preflight.run();
            for (DomainReport domain : report.domains()) {
                var counts = domain.counts();
                LOGGER.info("preflight {}: {} pass, {} warn, {} fail, {} info", domain.domain(), counts.get(Status.PASS),
                    counts.get(Status.WARN), counts.get(Status.FAIL), counts.get(Status.INFO));
                for (Check check : domain.checks()) {
                    if (check.status() == Status.FAIL) {
                        LOGGER.warn("preflight {} {}: {}{}", domain.domain(), check.name(), check.detail(),
                            check.record().map(record -> "; publish: " + record).orElse(""));
                    }
                }
            }
            LOGGER.info("preflight: {}; details: bin/sendonly preflight, or GET /sendonly/preflight",
                report.failed() ? "some checks failed" : "no check failed");
        } catch (Exception e) {
            LOGGER.warn("preflight could not run: {}", e.toString());
        }
    }
}

package io.sendonly.server.webhooks;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.events.Events;
import io.sendonly.events.webhooks.Backoff;
import io.sendonly.events.webhooks.Webhook;
import io.sendonly.events.webhooks.WebhookSettings;
import io.sendonly.events.webhooks.Webhooks;

/**
 * Reads the webhooks of conf/events.xml at start-up (a bad one stops it), subscribes them to {@link Events} and, at
 * stop, spools what they have not yet written. Spools live in {@code var/webhooks/NAME/}.
 */
public class WebhookPublisher implements Startable {
    public static final String SPOOL_ROOT = "var/webhooks";
    private static final Logger LOGGER = LoggerFactory.getLogger(WebhookPublisher.class);

    private final List<Webhook> settings;
    private final Path spoolRoot;
    private final Events events;
    private final Clock clock;
    private Webhooks webhooks;

    @Inject
    WebhookPublisher(ConfigurationProvider configuration, FileSystem fileSystem, Events events, Clock clock)
        throws ConfigurationException, FileNotFoundException {
        Path base = fileSystem.getBasedir().toPath();
        this.settings = WebhookSettings.parse(configuration.getConfiguration(Events.CONFIGURATION), base);
        this.spoolRoot = base.resolve(SPOOL_ROOT);
        this.events = events;
        this.clock = clock;
    }

    public void start() throws IOException {
        if (settings.isEmpty()) {
            return;
        }
        webhooks = Webhooks.start(settings, spoolRoot, Backoff.DEFAULT, clock);
        events.subscribe(webhooks);
        LOGGER.info("Publishing events to webhooks {}", settings.stream().map(Webhook::name).toList());
    }

    @PreDestroy
    public void stop() throws IOException, InterruptedException {
        if (webhooks != null) {
            webhooks.close();
        }
    }
}

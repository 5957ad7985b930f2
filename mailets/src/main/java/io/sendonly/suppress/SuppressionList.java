package io.sendonly.suppress;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.ConfigurationProvider;

import io.sendonly.events.Events;

/**
 * The suppression list of this server, shared by delivery (which does not attempt a listed recipient) and webadmin
 * (which shows and edits it): one {@link SuppressionStore} in {@code var/suppressions/list}, filled by
 * {@link HardBounces} from the events, as {@code events.xml}'s {@code <suppression>} section says
 * ({@link SuppressionSettings}; no file, the defaults). Disabled, nothing is listed nor refused, and the entries
 * stay in the file for webadmin to show.
 */
@Singleton
public class SuppressionList {
    public static final String FILE = "var/suppressions/list";

    private final SuppressionSettings settings;
    private final SuppressionStore store;

    @Inject
    public SuppressionList(FileSystem fileSystem, ConfigurationProvider configuration, Events events)
        throws ConfigurationException, IOException {
        this(SuppressionSettings.from(configuration.getConfiguration(Events.CONFIGURATION)),
            fileSystem.getBasedir().toPath().resolve(FILE), events, Clock.systemUTC());
    }

    public SuppressionList(SuppressionSettings settings, Path file, Events events, Clock clock) throws IOException {
        this.settings = settings;
        this.store = SuppressionStore.open(file, clock);
        if (settings.enabled()) {
            events.subscribe(new HardBounces(store, settings, clock));
        }
    }

    /** The entry that stops mail from {@code senderDomain} to {@code recipient}; always empty when disabled. */
    public Optional<Suppression> find(String recipient, Optional<String> senderDomain) {
        return settings.enabled() ? store.find(recipient, senderDomain) : Optional.empty();
    }

    public SuppressionSettings settings() {
        return settings;
    }

    public SuppressionStore store() {
        return store;
    }
}

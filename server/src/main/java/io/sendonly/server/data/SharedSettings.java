package io.sendonly.server.data;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.mailetcontainer.impl.JamesMailetContext;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.WatchedFile;
import io.sendonly.server.BackgroundThread;

/**
 * The settings webadmin changes, followed from the files they live in, so that a change made through another node
 * sharing conf/ (docs/scale-out.md) applies here too: the default domain ({@code <defaultDomain>} of
 * {@code domainlist.xml}) and the admin address ({@code <context><postmaster>} of {@code mailetcontainer.xml}). Every
 * {@link #PERIOD} the two files are compared with what was read ({@link WatchedFile}); when the values they hold differ
 * from the ones in force, the domain list and the mailet context are configured again from them, as at boot.
 */
public class SharedSettings implements Startable {
    static final Duration PERIOD = Duration.ofSeconds(2);
    static final String DOMAIN_LIST = "domainlist";
    static final String MAILET_CONTEXT = "mailetcontainer.context";
    private static final String DOMAIN_LIST_FILE = "file://conf/domainlist.xml";
    private static final String MAILET_CONTAINER_FILE = "file://conf/mailetcontainer.xml";
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedSettings.class);

    /** What the two files say. */
    record Values(String defaultDomain, String adminAddress) {
    }

    private final ConfigurationProvider configurationProvider;
    private final MemoryDomainList domainList;
    private final JamesMailetContext mailetContext;
    private final WatchedFile<Values> files;
    private final ScheduledExecutorService scheduler = BackgroundThread.named("shared-settings");
    private Values inForce;

    @Inject
    SharedSettings(ConfigurationProvider configurationProvider, FileSystem fileSystem, MemoryDomainList domainList,
                   JamesMailetContext mailetContext) throws ConfigurationException, FileNotFoundException {
        this.configurationProvider = configurationProvider;
        this.domainList = domainList;
        this.mailetContext = mailetContext;
        this.files = WatchedFile.load("settings",
            List.of(fileSystem.getFile(DOMAIN_LIST_FILE).toPath(), fileSystem.getFile(MAILET_CONTAINER_FILE).toPath()), this::read);
        this.inForce = files.get();
    }

    private Values read() throws ConfigurationException {
        return new Values(configurationProvider.getConfiguration(DOMAIN_LIST).getString("defaultDomain", ""),
            configurationProvider.getConfiguration(MAILET_CONTEXT).getString("postmaster", ""));
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::follow, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Applies the files' values when they changed; a failure keeps the settings in force until the files change again. */
    synchronized void follow() {
        Values now = files.get();
        if (now.equals(inForce)) {
            return;
        }
        try {
            if (!now.defaultDomain().equals(inForce.defaultDomain())) {
                domainList.configure(configurationProvider.getConfiguration(DOMAIN_LIST));
            }
            if (!now.adminAddress().equals(inForce.adminAddress())) {
                mailetContext.configure(configurationProvider.getConfiguration(MAILET_CONTEXT));
            }
            LOGGER.info("settings changed in conf/: defaultDomain {} (was {}), admin address {} (was {})",
                now.defaultDomain(), inForce.defaultDomain(), now.adminAddress(), inForce.adminAddress());
        } catch (ConfigurationException | RuntimeException e) {
            LOGGER.error("settings changed in conf/ but do not apply ({}); the settings in force stay", e.getMessage());
        }
        inForce = now;
    }

    @PreDestroy
    public void stop() throws InterruptedException {
        BackgroundThread.stop(scheduler);
    }
}

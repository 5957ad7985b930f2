package io.sendonly.events.log;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

import io.sendonly.config.Durations;
import io.sendonly.config.Sizes;

/**
 * The {@code <log>} section of {@code conf/events.xml}: whether events are written to {@code var/log/events/}, how
 * long they are kept (and answered by the trace), and the size at which a day's file is continued in the next one.
 * <pre>{@code
 * <log enabled="true">
 *     <retention>7d</retention>
 *     <maxFileSize>100m</maxFileSize>
 * </log>
 * }</pre>
 */
public record EventLogSettings(boolean enabled, Duration retention, long maxFileSize) {
    public static final String LOG = "log";
    public static final String ENABLED = "enabled";
    public static final String RETENTION = "retention";
    public static final String MAX_FILE_SIZE = "maxFileSize";
    public static final EventLogSettings DEFAULT = new EventLogSettings(true, Duration.ofDays(7), 100L << 20);
    private static final Set<String> KEYS = Set.of(RETENTION, MAX_FILE_SIZE);

    public EventLogSettings {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("events.xml <" + LOG + "><" + RETENTION + "> must be positive");
        }
    }

    /** @param events the whole of {@code events.xml}, empty when the file is absent */
    public static EventLogSettings from(HierarchicalConfiguration<ImmutableNode> events) {
        List<HierarchicalConfiguration<ImmutableNode>> sections = events.configurationsAt(LOG);
        if (sections.isEmpty()) {
            return DEFAULT;
        }
        if (sections.size() > 1) {
            throw new IllegalArgumentException("events.xml: <" + LOG + "> given " + sections.size() + " times");
        }
        HierarchicalConfiguration<ImmutableNode> log = sections.get(0);
        log.getNodeModel().getNodeHandler().getRootNode().getChildren().stream().map(ImmutableNode::getNodeName)
            .filter(name -> !KEYS.contains(name)).findFirst()
            .ifPresent(name -> {
                throw new IllegalArgumentException("events.xml: <" + LOG + "><" + name + "> is unknown; expected " + KEYS);
            });
        log.getNodeModel().getNodeHandler().getRootNode().getAttributes().keySet().stream()
            .filter(name -> !name.equals(ENABLED)).findFirst()
            .ifPresent(name -> {
                throw new IllegalArgumentException("events.xml: <" + LOG + " " + name + "=...> is unknown; expected " + ENABLED);
            });
        String enabled = log.getString("[@" + ENABLED + "]", "true").trim();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new IllegalArgumentException("events.xml: <" + LOG + " " + ENABLED + "=\"" + enabled + "\">: expected true or false");
        }
        String parameter = LOG + "><";
        try {
            return new EventLogSettings(Boolean.parseBoolean(enabled),
                Durations.parse(log.getString(RETENTION, "7d"), parameter + RETENTION),
                Sizes.parse(log.getString(MAX_FILE_SIZE, "100m"), parameter + MAX_FILE_SIZE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("events.xml: " + e.getMessage(), e);
        }
    }
}

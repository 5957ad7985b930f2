package io.sendonly.suppress;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

import io.sendonly.config.Durations;
import io.sendonly.events.EventsSection;

/**
 * The {@code <suppression>} section of {@code events.xml}; absent, the defaults:
 * <pre>{@code
 * <suppression enabled="true">
 *     <expiry>30d</expiry>
 *     <perSenderDomain>false</perSenderDomain>
 * </suppression>
 * }</pre>
 * 30 days: long enough that a dead address stops costing reputation for a month of retried sign-ups and
 * notifications, short enough that a mailbox or domain fixed since comes back on its own (Amazon SES keeps its
 * entries until removed; a send-only relay has no bounce dashboard, so forgetting is the safer default).
 */
public record SuppressionSettings(boolean enabled, Duration expiry, boolean perSenderDomain) {
    public static final String SECTION = "suppression";
    public static final String ENABLED = "enabled";
    public static final String EXPIRY = "expiry";
    public static final String PER_SENDER_DOMAIN = "perSenderDomain";
    public static final SuppressionSettings DEFAULTS = new SuppressionSettings(true, Duration.ofDays(30), false);
    private static final Set<String> ELEMENTS = Set.of(EXPIRY, PER_SENDER_DOMAIN);

    /**
     * @param events the whole {@code events.xml}
     * @throws IllegalArgumentException naming the element and the value expected
     */
    public static SuppressionSettings from(HierarchicalConfiguration<ImmutableNode> events) {
        Optional<HierarchicalConfiguration<ImmutableNode>> found = EventsSection.of(events, SECTION, ELEMENTS, Set.of(ENABLED));
        if (found.isEmpty()) {
            return DEFAULTS;
        }
        HierarchicalConfiguration<ImmutableNode> section = found.get();
        boolean enabled = bool(section.getString("[@" + ENABLED + "]"), "@" + ENABLED, DEFAULTS.enabled());
        String expiry = section.getString(EXPIRY);
        Duration duration = expiry == null ? DEFAULTS.expiry() : duration(expiry);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("events.xml: <" + SECTION + "><" + EXPIRY + "> must be positive, got '" + expiry + "'");
        }
        return new SuppressionSettings(enabled, duration,
            bool(section.getString(PER_SENDER_DOMAIN), PER_SENDER_DOMAIN, DEFAULTS.perSenderDomain()));
    }

    private static Duration duration(String value) {
        try {
            return Durations.parse(value, SECTION + "><" + EXPIRY);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("events.xml: " + e.getMessage(), e);
        }
    }

    private static boolean bool(String value, String name, boolean absent) {
        if (value == null) {
            return absent;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("events.xml: <" + SECTION + "> " + name + ": expected true or false, got '" + value + "'");
        };
    }
}

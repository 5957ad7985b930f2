package io.sendonly.deliver;

import static io.sendonly.deliver.RouteDelivery.BOUNCE_PROCESSOR;
import static io.sendonly.deliver.RouteDelivery.CONNECTION_CACHE_TIME;
import static io.sendonly.deliver.RouteDelivery.CONNECT_TIMEOUT;
import static io.sendonly.deliver.RouteDelivery.DELAY_WARNING_TIME;
import static io.sendonly.deliver.RouteDelivery.DELIVERY_THREADS;
import static io.sendonly.deliver.RouteDelivery.DNSSEC_RESOLVER;
import static io.sendonly.deliver.RouteDelivery.FIRST_ATTEMPT;
import static io.sendonly.deliver.RouteDelivery.HELO_NAME;
import static io.sendonly.deliver.RouteDelivery.MAX_QUEUE_LIFETIME;
import static io.sendonly.deliver.RouteDelivery.MTA_STS;
import static io.sendonly.deliver.RouteDelivery.MTA_STS_CA_FILE;
import static io.sendonly.deliver.RouteDelivery.OUTGOING_QUEUE;
import static io.sendonly.deliver.RouteDelivery.RETRY_SCHEDULE;
import static io.sendonly.deliver.RouteDelivery.ROUTES;
import static io.sendonly.deliver.RouteDelivery.TIMEOUT;
import static io.sendonly.deliver.RouteDelivery.TLS_POLICY;
import static io.sendonly.deliver.RouteDelivery.TLS_SECURITY_LEVEL;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.MailetConfig;

import io.sendonly.config.Durations;
import io.sendonly.tls.ResolverDaneRecords;
import io.sendonly.tls.SecurityLevel;

/**
 * {@link RouteDelivery}'s parameters, parsed once: unset means the documented default, set but invalid is an
 * {@link IllegalArgumentException} naming the parameter, its value and what was expected. An empty
 * {@code delayWarningTime} sends no warnings; an empty {@code routes} sends everything direct.
 *
 * @param routes the route table's file URL; empty for everything direct
 * @param tlsPolicy the TLS policy table's file URL; empty for {@link #DEFAULT_TLS_POLICY} when that file exists
 * @param tlsSecurityLevel the level of direct delivery to a destination the table does not pin
 * @param mtaSts whether direct delivery applies the recipient domains' MTA-STS policies
 * @param mtaStsCaFile the authorities of MTA-STS policy hosts instead of the JDK's; relative to the server's base directory
 * @param dnssecResolver the validating resolver DANE trusts; empty for the first DNS server James uses
 */
record DeliverySettings(Optional<String> routes, String outgoingQueue, int deliveryThreads, String heloName,
                        int connectTimeoutMillis, int timeoutMillis, RetryPolicy retry, String bounceProcessor,
                        Duration connectionCacheTime, FirstAttempt firstAttempt, Optional<String> tlsPolicy,
                        SecurityLevel tlsSecurityLevel, boolean mtaSts, Optional<Path> mtaStsCaFile,
                        Optional<InetSocketAddress> dnssecResolver) {
    static final String DEFAULT_TLS_POLICY = "file://conf/tls_policy";

    /** Where a mail's first attempt is made. */
    enum FirstAttempt {
        /** On the spooler thread that runs the mailet: only what is deferred is written to the outgoing queue. */
        SPOOL,
        /** On a delivery thread: every mail goes through the outgoing queue first, as James's RemoteDelivery. */
        QUEUE
    }

    /** @param serverName the server's own name ({@link HeloName}): the EHLO name unless {@code heloName} is set */
    static DeliverySettings from(MailetConfig config, String serverName) {
        return new DeliverySettings(
            Optional.ofNullable(config.getInitParameter(ROUTES)).map(String::trim).filter(value -> !value.isEmpty()),
            value(config, OUTGOING_QUEUE, "outgoing"),
            positive(value(config, DELIVERY_THREADS, "8"), DELIVERY_THREADS),
            value(config, HELO_NAME, serverName),
            millis(config, CONNECT_TIMEOUT, "30s"),
            millis(config, TIMEOUT, "300s"),
            new RetryPolicy(
                schedule(value(config, RETRY_SCHEDULE, "5m, 10m, 20m, 40m, 1h")),
                duration(config, MAX_QUEUE_LIFETIME, "5d"),
                Optional.of(value(config, DELAY_WARNING_TIME, "4h")).filter(value -> !value.isEmpty())
                    .map(value -> Durations.parse(value, DELAY_WARNING_TIME))),
            value(config, BOUNCE_PROCESSOR, "bounces"),
            duration(config, CONNECTION_CACHE_TIME, "2s"),
            firstAttempt(value(config, FIRST_ATTEMPT, "spool")),
            Optional.ofNullable(config.getInitParameter(TLS_POLICY)).map(String::trim).filter(value -> !value.isEmpty()),
            securityLevel(value(config, TLS_SECURITY_LEVEL, "dane")),
            bool(value(config, MTA_STS, "true"), MTA_STS),
            Optional.of(value(config, MTA_STS_CA_FILE, "")).filter(value -> !value.isEmpty()).map(Path::of),
            Optional.of(value(config, DNSSEC_RESOLVER, "")).filter(value -> !value.isEmpty())
                .map(DeliverySettings::dnssecResolver));
    }

    /** The value trimmed, or the default when the parameter is not set at all. */
    private static String value(MailetConfig config, String parameter, String defaultValue) {
        String value = config.getInitParameter(parameter);
        return value == null ? defaultValue : value.trim();
    }

    private static Duration duration(MailetConfig config, String parameter, String defaultValue) {
        return Durations.parse(value(config, parameter, defaultValue), parameter);
    }

    private static int millis(MailetConfig config, String parameter, String defaultValue) {
        return (int) Math.min(Integer.MAX_VALUE, duration(config, parameter, defaultValue).toMillis());
    }

    private static List<Duration> schedule(String value) {
        List<Duration> delays = Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty())
            .map(item -> Durations.parse(item, RETRY_SCHEDULE)).toList();
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("<" + RETRY_SCHEDULE + "> needs at least one delay, e.g. 5m, 10m, 20m, 40m, 1h");
        }
        return delays;
    }

    private static int positive(String value, String parameter) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("<" + parameter + "> '" + value + "': expected a positive number");
    }

    private static SecurityLevel securityLevel(String value) {
        try {
            return SecurityLevel.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("<" + TLS_SECURITY_LEVEL + "> " + e.getMessage(), e);
        }
    }

    private static InetSocketAddress dnssecResolver(String value) {
        try {
            return ResolverDaneRecords.parseAddress(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("<" + DNSSEC_RESOLVER + "> " + e.getMessage(), e);
        }
    }

    private static boolean bool(String value, String parameter) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("<" + parameter + "> '" + value + "': expected true or false");
        };
    }

    private static FirstAttempt firstAttempt(String value) {
        return switch (value) {
            case "spool", "queue" -> FirstAttempt.valueOf(value.toUpperCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("<" + FIRST_ATTEMPT + "> '" + value + "': expected spool or queue");
        };
    }

}

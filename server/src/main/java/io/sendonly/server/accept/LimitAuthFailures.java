package io.sendonly.server.accept;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableSet;

import io.sendonly.config.Durations;
import io.sendonly.metrics.DeliveryMetrics;

/**
 * Slows down and then stops password guessing: the reply to a failed AUTH waits {@code failureDelay} times the
 * number of failures of that client address within {@code failureWindow}, and a client with {@code failureLimit}
 * failures in the window gets {@code 421 4.7.0} to every AUTH, its credentials unchecked, until they age out.
 * The delay needs {@link SendOnlySMTPServer}; the lockout works in any James. Place it before
 * {@code CoreCmdHandlerLoader}:
 *
 * <pre>{@code
 * <handler class="io.sendonly.server.accept.LimitAuthFailures">
 *     <failureLimit>10</failureLimit>
 *     <failureWindow>10m</failureWindow>
 *     <failureDelay>1s</failureDelay>
 * </handler>
 * }</pre>
 */
public class LimitAuthFailures implements CommandHandler<SMTPSession> {
    public static final String FAILURE_LIMIT = "failureLimit";
    public static final String FAILURE_WINDOW = "failureWindow";
    public static final String FAILURE_DELAY = "failureDelay";

    private static final Logger LOGGER = LoggerFactory.getLogger(LimitAuthFailures.class);

    private final Clock clock;
    private final DeliveryMetrics metrics;
    private AuthFailures failures;

    @Inject
    public LimitAuthFailures(Clock clock, DeliveryMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            failures = new AuthFailures(clock,
                positive(config.getString(FAILURE_LIMIT, "10")),
                window(config.getString(FAILURE_WINDOW, "10m")),
                Durations.parse(config.getString(FAILURE_DELAY, "1s"), FAILURE_DELAY), metrics::authFailed);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    private static int positive(String value) {
        if (!value.trim().matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("<" + FAILURE_LIMIT + "> '" + value + "': expected a whole number from 1");
        }
        return Integer.parseInt(value.trim());
    }

    private static Duration window(String value) {
        Duration window = Durations.parse(value, FAILURE_WINDOW);
        if (window.isZero()) {
            throw new IllegalArgumentException("<" + FAILURE_WINDOW + "> '" + value + "': must be longer than 0");
        }
        return window;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (failures.lockedOut(session.getRemoteAddress().getAddress())) {
            LOGGER.info("AUTH refused to {}: locked out after too many failures", session.getRemoteAddress().getAddress().getHostAddress());
            SMTPResponse response = new SMTPResponse(SMTPRetCode.SERVICE_NOT_AVAILABLE, "4.7.0 Error: too many failed authentications");
            response.setEndSession(true);
            return response;
        }
        return null;
    }

    @Override
    public Collection<String> getImplCommands() {
        return ImmutableSet.of("AUTH");
    }

    AuthFailures failures() {
        return failures;
    }
}

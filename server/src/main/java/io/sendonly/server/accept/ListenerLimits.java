package io.sendonly.server.accept;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * The limits of one {@code <smtpserver>} that James 3.8.1 does not enforce as configured, parsed once:
 * {@code <connectionLimit>} (default 100, Postfix's {@code default_process_limit}) and {@code <connectionLimitPerIP>}
 * (default 50, Postfix {@code smtpd_client_connection_count_limit}, for untrusted clients), 0 meaning none; {@code <maxLineLength>}, the
 * longest line accepted in bytes (default 1048576; at least 1000, RFC 5321's limit).
 */
public record ListenerLimits(int connectionLimit, int connectionLimitPerIp, int maxLineLength) {
    public static final String CONNECTION_LIMIT = "connectionLimit";
    public static final String CONNECTION_LIMIT_PER_IP = "connectionLimitPerIP";
    public static final String MAX_LINE_LENGTH = "maxLineLength";

    private static final int DEFAULT_CONNECTION_LIMIT = 100;
    private static final int DEFAULT_CONNECTION_LIMIT_PER_IP = 50;
    private static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
    private static final int RFC_5321_LINE_LENGTH = 1000;

    public static ListenerLimits from(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        return new ListenerLimits(
            wholeNumber(config, CONNECTION_LIMIT, DEFAULT_CONNECTION_LIMIT, 0),
            wholeNumber(config, CONNECTION_LIMIT_PER_IP, DEFAULT_CONNECTION_LIMIT_PER_IP, 0),
            wholeNumber(config, MAX_LINE_LENGTH, DEFAULT_MAX_LINE_LENGTH, RFC_5321_LINE_LENGTH));
    }

    private static int wholeNumber(HierarchicalConfiguration<ImmutableNode> config, String parameter, int defaultValue, int minimum)
            throws ConfigurationException {
        String value = config.getString(parameter, String.valueOf(defaultValue)).trim();
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < minimum) {
            throw new ConfigurationException("smtpserver.xml: <" + parameter + "> '" + value + "': expected a whole number from " + minimum);
        }
        return Integer.parseInt(value);
    }
}

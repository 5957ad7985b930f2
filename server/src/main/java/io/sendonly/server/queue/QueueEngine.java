package io.sendonly.server.queue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.apache.commons.configuration2.Configuration;

/**
 * Where the mail queues live, from {@code conf/queue.properties}, parsed once:
 * <ul>
 *   <li>{@code engine}: {@code embedded} (default, also when the file is absent), the in-process broker of
 *       {@link EmbeddedBroker}; {@code external}, an ActiveMQ (Classic) broker pair that every node shares;</li>
 *   <li>{@code broker.url} (external only): the ActiveMQ client URL, normally
 *       {@code failover:(tcp://broker1:61616,tcp://broker2:61616)?maxReconnectDelay=1000};</li>
 *   <li>{@code broker.credentials} (external only, optional): a file readable by the service user alone, relative
 *       to the server home, with the lines {@code user=} and {@code password=}.</li>
 * </ul>
 * The password is held here and handed to the connection factory only; {@link #toString()} never shows it.
 */
public final class QueueEngine {
    public static final String ENGINE = "engine";
    public static final String BROKER_URL = "broker.url";
    public static final String BROKER_CREDENTIALS = "broker.credentials";
    static final String CREDENTIALS_USER = "user";
    static final String CREDENTIALS_PASSWORD = "password";
    private static final Set<String> KEYS = Set.of(ENGINE, BROKER_URL, BROKER_CREDENTIALS);
    private static final String FILE = "queue.properties";

    private final Optional<String> brokerUrl;
    private final Optional<String> user;
    private final Optional<String> password;

    private QueueEngine(Optional<String> brokerUrl, Optional<String> user, Optional<String> password) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
    }

    public static QueueEngine embedded() {
        return new QueueEngine(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code properties}: the contents of queue.properties; relative credential paths resolve against {@code home}. */
    public static QueueEngine from(Configuration properties, Path home) {
        for (Iterator<String> keys = properties.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(FILE + ": unknown key '" + key + "'; expected one of " + KEYS);
            }
        }
        String engine = properties.getString(ENGINE, "embedded").trim();
        switch (engine) {
            case "embedded" -> {
                for (String externalOnly : new String[] {BROKER_URL, BROKER_CREDENTIALS}) {
                    if (properties.containsKey(externalOnly)) {
                        throw new IllegalArgumentException(FILE + ": " + externalOnly + " is set but " + ENGINE
                            + "=embedded; set " + ENGINE + "=external or remove it");
                    }
                }
                return embedded();
            }
            case "external" -> {
                // James's properties split values on commas; a failover URL has them.
                String url = String.join(",", properties.getStringArray(BROKER_URL)).trim();
                if (url.isEmpty()) {
                    throw new IllegalArgumentException(FILE + ": " + ENGINE + "=external needs " + BROKER_URL
                        + ", e.g. failover:(tcp://broker1:61616,tcp://broker2:61616)");
                }
                if (!url.startsWith("failover:")) {
                    throw new IllegalArgumentException(FILE + ": " + BROKER_URL + "=" + url
                        + ": expected a failover: URL, so that the nodes follow the broker that takes over");
                }
                if (url.toLowerCase(Locale.ROOT).contains("password")) {
                    throw new IllegalArgumentException(FILE + ": " + BROKER_URL + " carries a password: put it in the "
                        + BROKER_CREDENTIALS + " file (mode 0600) instead");
                }
                if (!properties.containsKey(BROKER_CREDENTIALS)) {
                    return new QueueEngine(Optional.of(url), Optional.empty(), Optional.empty());
                }
                Properties credentials = credentials(home.resolve(properties.getString(BROKER_CREDENTIALS).trim()));
                return new QueueEngine(Optional.of(url), Optional.of(credentials.getProperty(CREDENTIALS_USER)),
                    Optional.of(credentials.getProperty(CREDENTIALS_PASSWORD)));
            }
            default -> throw new IllegalArgumentException(FILE + ": " + ENGINE + "=" + engine + ": expected embedded or external");
        }
    }

    private static Properties credentials(Path file) {
        String where = FILE + ": " + BROKER_CREDENTIALS + " " + file;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(where + ": no such file");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                throw new IllegalArgumentException(where + ": readable by others than its owner; chmod 600");
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            credentials.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        for (String key : credentials.stringPropertyNames()) {
            if (!key.equals(CREDENTIALS_USER) && !key.equals(CREDENTIALS_PASSWORD)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; expected user and password");
            }
        }
        if (credentials.getProperty(CREDENTIALS_USER, "").isBlank() || credentials.getProperty(CREDENTIALS_PASSWORD, "").isEmpty()) {
            throw new IllegalArgumentException(where + ": expected the lines user=NAME and password=SECRET");
        }
        return credentials;
    }

    /** The broker URL for the external engine; empty for the embedded one. */
    public Optional<String> brokerUrl() {
        return brokerUrl;
    }

    Optional<String> user() {
        return user;
    }

    Optional<String> password() {
        return password;
    }

    @Override
    public String toString() {
        return brokerUrl.map(url -> "external " + url + user.map(name -> " as " + name).orElse("")).orElse("embedded");
    }
}

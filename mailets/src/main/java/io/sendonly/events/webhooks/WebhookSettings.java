package io.sendonly.events.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

import io.sendonly.config.Durations;
import io.sendonly.events.EventType;

/**
 * The {@code <webhooks>} section of events.xml, parsed once at start-up; any bad value stops start-up with the
 * element named:
 * <pre>{@code
 * <webhooks>
 *   <webhook>
 *     <name>crm</name>                                   <!-- required: [a-z0-9-], the spool is var/webhooks/crm/ -->
 *     <url>https://hooks.example.com/mail</url>          <!-- required: http or https; https certificates verified -->
 *     <secretFile>conf/webhooks/crm.secret</secretFile>  <!-- required: the HMAC key, a file no other user can read -->
 *     <events>delivered,bounced,expired</events>         <!-- optional: default every type -->
 *     <timeout>10s</timeout>                             <!-- optional: per request, default 10s -->
 *   </webhook>
 * </webhooks>
 * }</pre>
 */
public final class WebhookSettings {
    public static final String WEBHOOKS = "webhooks";
    public static final String WEBHOOK = "webhook";
    public static final String NAME = "name";
    public static final String URL = "url";
    public static final String SECRET_FILE = "secretFile";
    public static final String EVENTS = "events";
    public static final String TIMEOUT = "timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int MINIMUM_SECRET_LENGTH = 16;
    private static final Set<String> KEYS = Set.of(NAME, URL, SECRET_FILE, EVENTS, TIMEOUT);

    private WebhookSettings() {
    }

    /**
     * @param events the root of events.xml; no {@code <webhooks>} means none
     * @param baseDirectory what a relative {@code secretFile} is resolved against: the server's working directory
     */
    public static List<Webhook> parse(HierarchicalConfiguration<ImmutableNode> events, Path baseDirectory) {
        requireOnly(events.configurationsAt(WEBHOOKS), Set.of(WEBHOOK), "<" + WEBHOOKS + ">");
        List<Webhook> webhooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<HierarchicalConfiguration<ImmutableNode>> entries = events.configurationsAt(WEBHOOKS + "." + WEBHOOK);
        for (int index = 0; index < entries.size(); index++) {
            String element = "<" + WEBHOOKS + "><" + WEBHOOK + ">[" + (index + 1) + "]";
            Webhook webhook = webhook(entries.get(index), baseDirectory, element);
            if (!names.add(webhook.name())) {
                throw new IllegalArgumentException("events.xml " + element + "<" + NAME + "> '" + webhook.name()
                    + "': another webhook has that name; each needs its own spool");
            }
            webhooks.add(webhook);
        }
        return List.copyOf(webhooks);
    }

    private static Webhook webhook(HierarchicalConfiguration<ImmutableNode> entry, Path baseDirectory, String element) {
        requireOnly(List.of(entry), KEYS, element);
        String name = required(entry, NAME, element);
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw invalid(element, NAME, name, "lower-case letters, digits and '-', up to 63, e.g. crm");
        }
        return new Webhook(name, url(required(entry, URL, element), element),
            secret(baseDirectory.resolve(required(entry, SECRET_FILE, element)), element),
            events(entry.getString(EVENTS, ""), element), timeout(entry.getString(TIMEOUT), element));
    }

    private static URI url(String value, String element) {
        try {
            URI url = new URI(value);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw invalid(element, URL, value, "an http:// or https:// URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw invalid(element, URL, value, "an http:// or https:// URL (" + e.getReason() + ")");
        }
    }

    /** The file's content, trailing whitespace removed; the value is never put in a message, the path is. */
    private static Webhook.Secret secret(Path file, String element) {
        String where = "events.xml " + element + "<" + SECRET_FILE + "> " + file;
        try {
            // The file read, through any link: its readers are who could learn the key.
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException(where + " is readable by other users (" + PosixFilePermissions.toString(permissions)
                    + "): anyone who reads it can forge events; chmod 600 " + file);
            }
            byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (key.length < MINIMUM_SECRET_LENGTH) {
                throw new IllegalArgumentException(where + " holds fewer than " + MINIMUM_SECRET_LENGTH
                    + " characters; make one with: openssl rand -hex 32 > " + file);
            }
            return new Webhook.Secret(key);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e, e);
        }
    }

    private static Set<EventType> events(String value, String element) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                types.add(EventType.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw invalid(element, EVENTS, value, "a comma-separated list of " + EnumSet.allOf(EventType.class).stream()
                    .map(type -> type.name().toLowerCase(Locale.ROOT)).toList());
            }
        }
        return types;
    }

    private static Duration timeout(String value, String element) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = Durations.parse(value, TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("events.xml " + element + e.getMessage(), e);
        }
        if (timeout.isZero()) {
            throw invalid(element, TIMEOUT, value, "more than zero, e.g. 10s");
        }
        return timeout;
    }

    private static String required(HierarchicalConfiguration<ImmutableNode> entry, String key, String element) {
        String value = entry.getString(key, "").strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("events.xml " + element + ": <" + key + "> is required");
        }
        return value;
    }

    private static void requireOnly(List<HierarchicalConfiguration<ImmutableNode>> nodes, Set<String> known, String element) {
        for (HierarchicalConfiguration<ImmutableNode> node : nodes) {
            for (Iterator<String> keys = node.getKeys(); keys.hasNext(); ) {
                String key = keys.next();
                String child = key.split("[.\\[]", 2)[0];
                if (!known.contains(child)) {
                    throw new IllegalArgumentException("events.xml " + element + ": unknown element <" + child + ">; expected one of "
                        + known.stream().sorted().toList());
                }
                if (node.getList(key).size() > 1 && !child.equals(WEBHOOK)) {
                    throw new IllegalArgumentException("events.xml " + element + ": <" + child + "> is given more than once");
                }
            }
        }
    }

    private static IllegalArgumentException invalid(String element, String key, String value, String expected) {
        return new IllegalArgumentException("events.xml " + element + "<" + key + "> '" + value + "': expected " + expected);
    }
}

package io.sendonly.sendmail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.NodeList;

/**
 * Where and how to submit: {@code conf/sendmail.properties} of the distribution, each key overridden by its
 * environment variable. Keys (variable): {@code smtp.host} (SENDONLY_SMTP_HOST, 127.0.0.1), {@code smtp.port}
 * (SENDONLY_SMTP_PORT, 2525), {@code maildrop} (SENDONLY_MAILDROP, var/maildrop of the distribution),
 * {@code smtp.user} and {@code smtp.password} (SENDONLY_SMTP_USER, SENDONLY_SMTP_PASSWORD: SMTP AUTH after
 * STARTTLS, for a server that does not trust this host; none by default). An unknown key is refused, so that a typo
 * does not pass unnoticed.
 *
 * <p>The default domain is the server's own, {@code <defaultDomain>} of {@code conf/domainlist.xml}, so that the two
 * cannot differ; SENDONLY_DEFAULT_DOMAIN gives it where no distribution is beside the command (an app container).
 */
record Settings(String host, int port, String defaultDomain, Path maildrop, Optional<String> user, Optional<String> password) {
    private static final Set<String> KEYS = Set.of("smtp.host", "smtp.port", "maildrop", "smtp.user", "smtp.password");

    static Settings load(Map<String, String> environment) throws SendmailException {
        Path home = Path.of(environment.getOrDefault("SENDONLY_HOME", "."));
        Properties file = properties(home.resolve("conf/sendmail.properties"));
        String port = value(environment, file, "SENDONLY_SMTP_PORT", "smtp.port", "2525");
        if (!port.matches("[0-9]{1,5}")) {
            throw new SendmailException(SendmailException.EX_USAGE, "smtp.port '" + port + "' is not a port number");
        }
        String domain = Optional.ofNullable(environment.get("SENDONLY_DEFAULT_DOMAIN")).map(String::trim).filter(value -> !value.isEmpty())
            .orElse(defaultDomain(home.resolve("conf/domainlist.xml")));
        Settings settings = new Settings(
            value(environment, file, "SENDONLY_SMTP_HOST", "smtp.host", "127.0.0.1"),
            Integer.parseInt(port),
            domain,
            home.resolve(value(environment, file, "SENDONLY_MAILDROP", "maildrop", "var/maildrop")),
            Optional.of(value(environment, file, "SENDONLY_SMTP_USER", "smtp.user", "")).filter(user -> !user.isEmpty()),
            Optional.of(value(environment, file, "SENDONLY_SMTP_PASSWORD", "smtp.password", "")).filter(password -> !password.isEmpty()));
        if (settings.user().isPresent() != settings.password().isPresent()) {
            throw new SendmailException(SendmailException.EX_USAGE, "smtp.user and smtp.password go together");
        }
        return settings;
    }

    private static Properties properties(Path path) throws SendmailException {
        Properties file = new Properties();
        if (!Files.isReadable(path)) {
            return file;
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            file.load(reader);
        } catch (IOException e) {
            throw new SendmailException(SendmailException.EX_SOFTWARE, path + ": " + e.getMessage());
        }
        for (String key : file.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new SendmailException(SendmailException.EX_CONFIG, path + ": unknown key '" + key + "'"
                    + (key.equals("default.domain") ? " (the default domain is <defaultDomain> of conf/domainlist.xml)" : ""));
            }
        }
        return file;
    }

    /** {@code <defaultDomain>} of James's domainlist.xml; localhost, as James, when the file or the element is missing. */
    private static String defaultDomain(Path domainList) throws SendmailException {
        if (!Files.isReadable(domainList)) {
            return "localhost";
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList elements = factory.newDocumentBuilder().parse(domainList.toFile()).getDocumentElement()
                .getElementsByTagName("defaultDomain");
            String domain = elements.getLength() == 0 ? "" : elements.item(0).getTextContent().trim();
            return domain.isEmpty() ? "localhost" : domain;
        } catch (Exception e) {
            throw new SendmailException(SendmailException.EX_CONFIG, domainList + ": " + e.getMessage());
        }
    }

    private static String value(Map<String, String> environment, Properties file, String variable, String key, String fallback) {
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        return file.getProperty(key, fallback).trim();
    }
}

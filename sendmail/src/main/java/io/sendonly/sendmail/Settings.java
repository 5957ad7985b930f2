package io.sendonly.sendmail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where and how to submit: {@code conf/sendmail.properties} of the distribution, each key overridden by its
 * environment variable. Keys (variable): {@code smtp.host} (SENDONLY_SMTP_HOST, 127.0.0.1), {@code smtp.port}
 * (SENDONLY_SMTP_PORT, 2525), {@code default.domain} (SENDONLY_DEFAULT_DOMAIN, localhost), {@code maildrop}
 * (SENDONLY_MAILDROP, var/maildrop of the distribution), {@code smtp.user} and {@code smtp.password}
 * (SENDONLY_SMTP_USER, SENDONLY_SMTP_PASSWORD: SMTP AUTH after STARTTLS, for a server that does not trust this
 * host; none by default).
 */
record Settings(String host, int port, String defaultDomain, Path maildrop, Optional<String> user, Optional<String> password) {
    static Settings load(Map<String, String> environment) throws SendmailException {
        Path home = Path.of(environment.getOrDefault("SENDONLY_HOME", "."));
        Properties file = new Properties();
        Path conf = home.resolve("conf/sendmail.properties");
        if (Files.isReadable(conf)) {
            try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new SendmailException(SendmailException.EX_SOFTWARE, conf + ": " + e.getMessage());
            }
        }
        String port = value(environment, file, "SENDONLY_SMTP_PORT", "smtp.port", "2525");
        if (!port.matches("[0-9]{1,5}")) {
            throw new SendmailException(SendmailException.EX_USAGE, "smtp.port '" + port + "' is not a port number");
        }
        Settings settings = new Settings(
            value(environment, file, "SENDONLY_SMTP_HOST", "smtp.host", "127.0.0.1"),
            Integer.parseInt(port),
            value(environment, file, "SENDONLY_DEFAULT_DOMAIN", "default.domain", "localhost"),
            home.resolve(value(environment, file, "SENDONLY_MAILDROP", "maildrop", "var/maildrop")),
            Optional.of(value(environment, file, "SENDONLY_SMTP_USER", "smtp.user", "")).filter(user -> !user.isEmpty()),
            Optional.of(value(environment, file, "SENDONLY_SMTP_PASSWORD", "smtp.password", "")).filter(password -> !password.isEmpty()));
        if (settings.user().isPresent() != settings.password().isPresent()) {
            throw new SendmailException(SendmailException.EX_USAGE, "smtp.user and smtp.password go together");
        }
        return settings;
    }

    private static String value(Map<String, String> environment, Properties file, String variable, String key, String fallback) {
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        return file.getProperty(key, fallback).trim();
    }
}

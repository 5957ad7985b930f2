package io.sendonly.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where webadmin answers and the credential to show it, from the distribution folder ({@code SENDONLY_HOME}):
 * {@code host}, {@code port}, {@code https.enabled} and {@code https.keystore}/{@code https.password} (relative
 * to the folder, as the server runs in it) of {@code conf/webadmin.properties} (a wildcard host is reached on
 * 127.0.0.1; a port written {@code ${env:NAME}} is NAME's value in the environment, as for the server), and the token in {@code var/webadmin/token}, or the file {@code SENDONLY_WEBADMIN_TOKEN_FILE} names.
 *
 * @param keystore the keystore webadmin serves over https, whose certificates are trusted; empty: the JDK's
 *                 authorities
 */
record Settings(URI base, Path tokenFile, Optional<Path> keystore, String keystorePassword) {
    static final String HOME = "SENDONLY_HOME";
    static final String TOKEN_FILE = "SENDONLY_WEBADMIN_TOKEN_FILE";
    private static final Pattern ENVIRONMENT_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    static Settings load(Map<String, String> environment) throws CliException {
        String home = environment.get(HOME);
        if (home == null || home.isBlank()) {
            throw new CliException(CliException.EX_CONFIG, HOME + " is not set: run the commands in the distribution's bin/");
        }
        Path properties = Path.of(home, "conf", "webadmin.properties");
        Properties webadmin = new Properties();
        try (Reader reader = Files.newBufferedReader(properties)) {
            webadmin.load(reader);
        } catch (IOException e) {
            throw new CliException(CliException.EX_CONFIG, "cannot read " + properties + ": " + e.getMessage());
        }
        if (!Boolean.parseBoolean(webadmin.getProperty("enabled", "false").trim())) {
            throw new CliException(CliException.EX_UNAVAILABLE, "webadmin is not enabled in " + properties);
        }
        String port = fromEnvironment(webadmin.getProperty("port", "8000").trim(), environment);
        if (!port.matches("[0-9]{1,5}")) {
            throw new CliException(CliException.EX_CONFIG, properties + ": port: '" + port + "' is not a port number");
        }
        boolean https = Boolean.parseBoolean(webadmin.getProperty("https.enabled", "false").trim());
        Path tokenFile = environment.containsKey(TOKEN_FILE) ? Path.of(environment.get(TOKEN_FILE))
            : Path.of(home, "var", "webadmin", "token");
        Optional<Path> keystore = Optional.ofNullable(webadmin.getProperty("https.keystore")).map(String::trim)
            .filter(path -> https && !path.isEmpty()).map(path -> Path.of(home).resolve(path));
        return new Settings(URI.create((https ? "https" : "http") + "://" + reachable(webadmin.getProperty("host", "127.0.0.1").trim())
            + ":" + port), tokenFile, keystore, webadmin.getProperty("https.password", "").trim());
    }

    /**
     * A value written {@code ${env:NAME}}, as the server reads it (nodes sharing conf/ on one host, docs/scale-out.md):
     * NAME's value in this environment; any other value as it is.
     */
    private static String fromEnvironment(String value, Map<String, String> environment) {
        Matcher reference = ENVIRONMENT_REFERENCE.matcher(value);
        return reference.matches() ? environment.getOrDefault(reference.group(1), value).trim() : value;
    }

    /** The token, read when a request is made: a usage error is told before a missing credential. */
    String token() throws CliException {
        try {
            String token = Files.readString(tokenFile).trim();
            if (token.isEmpty()) {
                throw new CliException(CliException.EX_NOPERM, "the webadmin credential " + tokenFile + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.EX_NOPERM, "cannot read the webadmin credential " + tokenFile
                + ": no such file (the server makes it at its first start), or set " + TOKEN_FILE);
        } catch (IOException e) {
            throw new CliException(CliException.EX_NOPERM, "cannot read the webadmin credential " + tokenFile + " ("
                + e.getClass().getSimpleName() + "): run as the server's user or root, or set " + TOKEN_FILE);
        }
    }

    /** The address to connect to: 127.0.0.1 for a wildcard or localhost, brackets for IPv6. */
    private static String reachable(String host) {
        if (host.isEmpty() || host.equals("localhost") || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}

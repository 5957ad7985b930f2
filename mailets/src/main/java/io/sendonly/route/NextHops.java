package io.sendonly.route;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses smart hosts written as nullmailer {@code remotes} lines or Postfix {@code relayhost} values. */
public final class NextHops {
    private static final int SMTP = 25;
    private static final int SUBMISSIONS = 465;
    private static final Pattern POSTFIX = Pattern.compile("(\\[([^\\]]+)\\]|([^\\[\\]:]+))(?::([0-9]{1,5}))?");

    private NextHops() {
    }

    /**
     * nullmailer remotes: {@code host smtp [--port=N] [--starttls | --ssl] [--user=U] [--pass=P] [--auth-login]
     * [--insecure] [--x509cafile=PEM]}. Without --starttls or --ssl the connection is plain, as nullmailer does, except
     * with --user: credentials never travel in clear, so such a hop requires STARTTLS. --insecure turns off certificate
     * verification, which is otherwise on.
     */
    public static NextHop parseNullmailer(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2 || !words[1].equals("smtp")) {
            throw new IllegalArgumentException("'" + redact(line) + "' is not 'host smtp [options]'");
        }
        String host = words[0];
        Integer port = null;
        NextHop.TlsMode tls = NextHop.TlsMode.NONE;
        boolean verify = true;
        String user = null;
        String password = null;
        String caFile = null;
        NextHop.AuthMethod method = NextHop.AuthMethod.PLAIN;
        for (int i = 2; i < words.length; i++) {
            String word = words[i];
            String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            String value = word.contains("=") ? word.substring(word.indexOf('=') + 1) : null;
            switch (option) {
                case "--port" -> port = port(value, word);
                case "--starttls" -> tls = NextHop.TlsMode.REQUIRED_STARTTLS;
                case "--ssl" -> tls = NextHop.TlsMode.IMPLICIT;
                case "--insecure" -> verify = false;
                case "--user" -> user = required(value, option);
                case "--pass" -> password = required(value, option);
                case "--auth-login" -> method = NextHop.AuthMethod.LOGIN;
                case "--x509cafile" -> caFile = required(value, option);
                default -> throw new IllegalArgumentException("unknown nullmailer option '" + option + "'");
            }
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("--user and --pass go together");
        }
        if (user != null && tls == NextHop.TlsMode.NONE) {
            tls = NextHop.TlsMode.REQUIRED_STARTTLS;
        }
        int resolvedPort = port != null ? port : tls == NextHop.TlsMode.IMPLICIT ? SUBMISSIONS : SMTP;
        Optional<NextHop.Credentials> credentials = user == null ? Optional.empty()
            : Optional.of(new NextHop.Credentials(user, password, method));
        return new NextHop(host, resolvedPort, false, tls, verify, Optional.ofNullable(caFile), credentials);
    }

    /**
     * Postfix next hop: {@code [host]:port} (no MX lookup) or {@code domain:port} (MX lookup), opportunistic TLS as
     * {@code smtp_tls_security_level = may}.
     */
    public static NextHop parsePostfix(String value) {
        Matcher matcher = POSTFIX.matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not [host]:port or domain:port");
        }
        boolean bracketed = matcher.group(2) != null;
        String host = bracketed ? matcher.group(2) : matcher.group(3);
        int port = matcher.group(4) == null ? SMTP : port(matcher.group(4), value);
        return new NextHop(host, port, !bracketed, NextHop.TlsMode.OPPORTUNISTIC, true, Optional.empty(), Optional.empty());
    }

    private static int port(String value, String word) {
        if (value == null || !value.matches("[0-9]{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65535) {
            throw new IllegalArgumentException("'" + word + "': port must be 1 to 65535");
        }
        return Integer.parseInt(value);
    }

    private static String required(String value, String option) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** A line for an error message, without the password. */
    public static String redact(String line) {
        return line.replaceAll("--pass=\\S+", "--pass=****");
    }
}

package io.sendonly.route;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sendonly.tls.SecurityLevel;

/** Parses smart hosts written as nullmailer {@code remotes} lines or Postfix {@code relayhost} values. */
public final class NextHops {
    private static final int SMTP = 25;
    private static final int SUBMISSIONS = 465;
    private static final String TLS = "--tls";
    private static final String CA_FILE = "--x509cafile";
    private static final Pattern POSTFIX = Pattern.compile("(\\[([^\\]]+)\\]|([^\\[\\]:]+))(?::([0-9]{1,5}))?");

    private NextHops() {
    }

    /**
     * nullmailer remotes: {@code host smtp [--port=N] [--starttls | --ssl] [--user=U] [--pass=P] [--auth-login]
     * [--insecure] [--x509cafile=PEM] [--tls=LEVEL]}. Without --starttls or --ssl the connection is plain ({@code none}),
     * as nullmailer does, except with --user: credentials never travel in clear, so such a hop is {@code verify}.
     * --starttls and --ssl verify the certificate against the host's name ({@code verify}); --insecure only encrypts
     * ({@code encrypt}). {@code --tls=LEVEL} says the level explicitly, instead of --starttls and --insecure; --ssl
     * stays orthogonal to it (TLS from the first byte).
     */
    public static NextHop parseNullmailer(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2 || !words[1].equals("smtp")) {
            throw new IllegalArgumentException("'" + redact(line) + "' is not 'host smtp [options]'");
        }
        String host = words[0];
        Integer port = null;
        boolean startTls = false;
        boolean wrapper = false;
        boolean insecure = false;
        Optional<SecurityLevel> level = Optional.empty();
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
                case "--starttls" -> startTls = true;
                case "--ssl" -> wrapper = true;
                case "--insecure" -> insecure = true;
                case TLS -> level = Optional.of(SecurityLevel.parse(required(value, option)));
                case "--user" -> user = required(value, option);
                case "--pass" -> password = required(value, option);
                case "--auth-login" -> method = NextHop.AuthMethod.LOGIN;
                case CA_FILE -> caFile = required(value, option);
                default -> throw new IllegalArgumentException("unknown nullmailer option '" + option + "'");
            }
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("--user and --pass go together");
        }
        if (level.isPresent() && (startTls || insecure)) {
            throw new IllegalArgumentException("--tls=LEVEL says what --starttls and --insecure do: give one or the other");
        }
        boolean tls = startTls || wrapper || user != null;
        SecurityLevel resolved = level.orElse(!tls ? SecurityLevel.NONE : insecure ? SecurityLevel.ENCRYPT : SecurityLevel.VERIFY);
        if (wrapper && resolved == SecurityLevel.NONE) {
            throw new IllegalArgumentException("--ssl is TLS from the first byte: --tls=none contradicts it");
        }
        int resolvedPort = port != null ? port : wrapper ? SUBMISSIONS : SMTP;
        Optional<NextHop.Credentials> credentials = user == null ? Optional.empty()
            : Optional.of(new NextHop.Credentials(user, password, method));
        return new NextHop(host, resolvedPort, false, resolved, wrapper, Optional.ofNullable(caFile), credentials);
    }

    /**
     * Postfix next hop: {@code [host]:port} (no MX lookup) or {@code domain:port} (MX lookup), opportunistic TLS as
     * {@code smtp_tls_security_level = may}; {@code --tls=LEVEL} and {@code --x509cafile=PEM} may follow.
     */
    public static NextHop parsePostfix(String value) {
        String[] words = value.trim().split("\\s+");
        Matcher matcher = POSTFIX.matcher(words[0]);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not [host]:port or domain:port");
        }
        SecurityLevel level = SecurityLevel.MAY;
        Optional<String> caFile = Optional.empty();
        for (String word : Arrays.asList(words).subList(1, words.length)) {
            if (word.startsWith(TLS + "=")) {
                level = SecurityLevel.parse(word.substring(TLS.length() + 1));
            } else if (word.startsWith(CA_FILE + "=")) {
                caFile = Optional.of(required(word.substring(CA_FILE.length() + 1), CA_FILE));
            } else {
                throw new IllegalArgumentException("'" + word + "': after a Postfix next hop, only --tls=LEVEL and --x509cafile=PEM");
            }
        }
        boolean bracketed = matcher.group(2) != null;
        String host = bracketed ? matcher.group(2) : matcher.group(3);
        int port = matcher.group(4) == null ? SMTP : port(matcher.group(4), value);
        return new NextHop(host, port, !bracketed, level, false, caFile, Optional.empty());
    }

    /** A nullmailer line has {@code smtp} as its second word; a Postfix next hop stands alone or is followed by options. */
    public static NextHop parse(String hop) {
        String[] words = hop.trim().split("\\s+");
        return words.length > 1 && !words[1].startsWith("--") ? parseNullmailer(hop) : parsePostfix(hop);
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

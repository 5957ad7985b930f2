package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * sendmail: hands a message to the local james-sendonly server, as Postfix sendmail(1) does for PHP's mail(), cron
 * and system daemons.
 *
 * <pre>
 * sendmail [options] [--] [recipient ...] &lt; message
 *   -t            take recipients from To, Cc and Bcc too; Bcc is removed before sending
 *   -i, -oi       a line with a single dot is data, not the end of the message
 *   -f sender     envelope sender (also -fsender, -f '&lt;sender&gt;'; -f '&lt;&gt;' the null sender); -r is the same
 *   -F name       full name for the From header it adds when there is none
 *   -bm           read a message from standard input and send it (the default)
 *   -bs           speak SMTP on standard input and output (Symfony Mailer's transport)
 *   -bp, -q       list, flush the queue
 *   -v            say what is done
 *   -B type, -N dsn, -R ret, -V envid, -X file, -L label, -C file, -o* (except -oi)
 *                 accepted and ignored, as Postfix ignores them
 * </pre>
 * Options are read the getopt way ({@link Options}). Every address, given or taken from the headers, must be an
 * RFC 5321 mailbox ({@link Mailbox}) and {@code -F} a printable name ({@link DisplayName}), or nothing is sent
 * nor spooled. The headers end at the first line that is not a header; that line starts the body. Missing Date,
 * Message-ID and From headers are added; bare addresses (www-data) get the default domain. When the server cannot
 * be reached or answers 4xx, the message is written to the maildrop and the command exits 0; the server picks it
 * up later. A 5xx at any step is final. Exit codes (sysexits.h): 64 usage (a bad option, argument or address on the
 * command line), 65 bad input (a bad address in the headers with -t, none there), 67 recipient refused, 68
 * recipient domain refused, 69 unavailable (a 5xx, or no writable maildrop), 70 internal error, 75 temporary
 * failure (no writable maildrop), 76 not an SMTP reply, 77 refused by policy or authentication (5.7.x), 78 a bad
 * setting.
 * Settings: see {@link Settings}.
 */
public final class Sendmail {
    private static final long BS_GRACE_MILLIS = 10_000;
    static final String USAGE = """
        usage: sendmail [options] [--] [recipient ...] < message
          -t            take recipients from To, Cc and Bcc too; Bcc is removed before sending
          -i, -oi       a line with a single dot is data, not the end of the message
          -f sender     envelope sender (also -fsender); -r sender is the same
          -F name       full name for the From header added when there is none
          -bm           read a message from standard input and send it (the default)
          -bs           speak SMTP on standard input and output
          -bp, -q       list, flush the queue
          -v            say what is done
          -B type, -N dsn, -R ret, -V envid, -X file, -L label, -C file, -o* (except -oi)
                        accepted and ignored
        """;

    private final Map<String, String> environment;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Sendmail(Map<String, String> environment, InputStream in, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Sendmail(System.getenv(), System.in, System.out, System.err).run(args));
    }

    public int run(String[] args) {
        try {
            Options options = Options.parse(args);
            Settings settings = Settings.load(environment);
            return switch (options.mode()) {
                case DELIVER -> send(options, settings);
                case SMTP_SESSION -> smtpSession(settings);
                case LIST_QUEUE, FLUSH_QUEUE -> queueCommand(options.mode());
            };
        } catch (SendmailException e) {
            err.println("sendmail: " + e.getMessage());
            if (e.exitCode() == SendmailException.EX_USAGE) {
                err.print(USAGE);
            }
            return e.exitCode();
        } catch (IOException | RuntimeException e) {
            err.println("sendmail: internal error: " + e);
            return SendmailException.EX_SOFTWARE;
        }
    }

    private int send(Options options, Settings settings) throws IOException, SendmailException {
        Message message = Message.parse(readInput(options.ignoreDots()));
        String given = options.sender().orElseGet(() -> environment.getOrDefault("USER", environment.getOrDefault("LOGNAME", "nobody")));
        String sender = given.isEmpty() ? "" : checked(qualify(given, settings), "sender", SendmailException.EX_USAGE);
        List<String> recipients = recipients(options, message, settings);
        message.remove("bcc");
        if (message.values("from").isEmpty()) {
            message.prepend("From: " + options.fullName().map(name -> DisplayName.encode(name) + " <" + sender + ">").orElse(sender));
        }
        if (message.values("date").isEmpty()) {
            message.prepend("Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now()));
        }
        if (message.values("message-id").isEmpty()) {
            message.prepend("Message-ID: <" + UUID.randomUUID() + "@" + settings.defaultDomain() + ">");
        }
        byte[] bytes = message.bytes();
        try {
            List<Submission.Refused> refused = Submission.submit(settings, sender, recipients, bytes);
            if (!refused.isEmpty()) {
                List<Integer> codes = refused.stream().map(r -> SendmailException.exitCode(r.reply(), SendmailException.EX_NOUSER)).distinct().toList();
                throw new SendmailException(codes.size() == 1 ? codes.get(0) : SendmailException.EX_NOUSER,
                    "recipient refused: " + refused.stream().map(Submission.Refused::toString).collect(Collectors.joining("; ")));
            }
            if (options.verbose()) {
                out.println("sendmail: sent to " + String.join(", ", recipients));
            }
            return 0;
        } catch (Submission.Temporary temporary) {
            try {
                Maildrop.write(settings.maildrop(), sender, recipients, bytes);
                if (options.verbose()) {
                    out.println("sendmail: " + temporary.getMessage() + "; queued in " + settings.maildrop());
                }
                return 0;
            } catch (IOException e) {
                boolean unreachable = temporary.getMessage().startsWith("cannot reach");
                throw new SendmailException(unreachable ? SendmailException.EX_UNAVAILABLE : SendmailException.EX_TEMPFAIL,
                    temporary.getMessage() + ", and the maildrop " + settings.maildrop() + " is not writable: " + e.getMessage());
            }
        }
    }

    /** The command line's recipients, and with -t those of To, Cc and Bcc: qualified, checked, each once. */
    private static List<String> recipients(Options options, Message message, Settings settings) throws SendmailException {
        List<String> recipients = new ArrayList<>();
        for (String argument : options.recipients()) {
            for (String recipient : AddressList.parse(argument)) {
                recipients.add(checked(qualify(recipient, settings), "recipient", SendmailException.EX_USAGE));
            }
        }
        if (options.extractRecipients()) {
            for (String header : List.of("to", "cc", "bcc")) {
                for (String value : message.values(header)) {
                    for (String recipient : AddressList.parse(value)) {
                        recipients.add(checked(qualify(recipient, settings), "recipient in the " + header + " header", SendmailException.EX_DATAERR));
                    }
                }
            }
        }
        if (recipients.isEmpty()) {
            throw new SendmailException(options.extractRecipients() ? SendmailException.EX_DATAERR : SendmailException.EX_USAGE,
                options.extractRecipients() ? "no recipients in the To, Cc and Bcc headers" : "no recipients given (use -t to read them from the headers)");
        }
        return recipients.stream().distinct().toList();
    }

    /** -bs: relays the caller's SMTP session to the server byte for byte. */
    private int smtpSession(Settings settings) throws IOException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), 30_000);
            } catch (IOException e) {
                out.print("421 4.3.0 mail system unavailable\r\n");
                out.flush();
                err.println("sendmail: cannot reach " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
                return SendmailException.EX_TEMPFAIL;
            }
            Thread upstream = new Thread(() -> {
                try {
                    in.transferTo(socket.getOutputStream());
                    // No half-close: the server would drop replies still to come. A client that ends without QUIT
                    // gets the session closed for it after a grace period.
                    Thread.sleep(BS_GRACE_MILLIS);
                    socket.close();
                } catch (IOException | InterruptedException e) {
                    // the session is over
                }
            }, "sendmail-bs");
            upstream.setDaemon(true);
            upstream.start();
            try {
                socket.getInputStream().transferTo(out);
            } catch (IOException e) {
                // closed after the grace period
            }
            out.flush();
            return 0;
        }
    }

    private byte[] readInput(boolean ignoreDots) throws IOException {
        if (ignoreDots) {
            return in.readAllBytes();
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            line.write(c);
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.equals(".\n") || text.equals(".\r\n")) {
                    return message.toByteArray();
                }
                line.writeTo(message);
                line.reset();
            }
        }
        line.writeTo(message);
        return message.toByteArray();
    }

    private static String qualify(String address, Settings settings) {
        return address.contains("@") ? address : address + "@" + settings.defaultDomain();
    }

    /** @return {@code address} when it is a {@link Mailbox}; else fails with {@code exitCode} */
    private static String checked(String address, String role, int exitCode) throws SendmailException {
        Optional<String> problem = Mailbox.problem(address);
        if (problem.isPresent()) {
            throw new SendmailException(exitCode, "bad " + role + " address '" + printable(address) + "': " + problem.get());
        }
        return address;
    }

    /** What may be shown on a terminal: any other character becomes '?'. */
    private static String printable(String text) {
        return text.codePoints().map(c -> c >= 0x20 && c <= 0x7e ? c : '?')
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** -bp and -q: the queue commands' hook, for the server's queue command line. */
    /** -bp and -q: the operator's bin/mailq and bin/postqueue -f (bin/sendmail runs them itself when they come first). */
    private int queueCommand(Options.Mode mode) throws SendmailException, IOException {
        String home = System.getenv("SENDONLY_HOME");
        if (home == null) {
            throw new SendmailException(SendmailException.EX_USAGE, "-bp and -q run the operator's commands: use bin/sendmail");
        }
        List<String> command = mode == Options.Mode.LIST_QUEUE ? List.of(home + "/bin/mailq") : List.of(home + "/bin/postqueue", "-f");
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendmailException.EX_TEMPFAIL;
        }
    }
}

package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.UUID;

/**
 * sendmail: hands a message to the local james-sendonly server, as Postfix sendmail(1) does for PHP's mail(), cron
 * and system daemons.
 *
 * <pre>
 * sendmail [options] [--] [recipient ...] &lt; message
 *   -t            take recipients from To, Cc and Bcc too; Bcc is removed before sending
 *   -i, -oi       a line with a single dot is data, not the end of the message
 *   -f sender     envelope sender (also -fsender); -r is the same
 *   -F name       full name for the From header it adds when there is none
 *   -bm           read a message from standard input and send it (the default)
 *   -bs           speak SMTP on standard input and output (Symfony Mailer's transport)
 *   -v            say what is done
 *   -bp, -q       as the first option: list the queue, deliver deferred mail now (bin/sendmail runs bin/mailq,
 *                 bin/postqueue -f; the operator's commands, not this class)
 *   -B type, -N dsn, -R ret, -V envid, -X file, -L label, -C file, -o* (except -oi)
 *                 accepted and ignored, as Postfix ignores them
 * </pre>
 * Missing Date and Message-ID headers are added; bare addresses (www-data) get the default domain. When the server
 * cannot be reached or answers 4xx, the message is written to the maildrop and the command exits 0; the server
 * picks it up later. Exit codes (sysexits.h): 64 usage, 65 bad input, 67 recipient refused, 68 recipient domain
 * refused, 69 unavailable (and no writable maildrop), 70 internal error, 75 temporary failure (no writable maildrop).
 * Settings: see {@link Settings}.
 */
public final class Sendmail {
    private record Options(boolean extractRecipients, boolean ignoreDots, String sender, String fullName, boolean smtpSession,
                           boolean verbose, List<String> recipients) {
    }

    private static final long BS_GRACE_MILLIS = 10_000;
    static final String USAGE = """
        usage: sendmail [options] [--] [recipient ...] < message
          -t            take recipients from To, Cc and Bcc too; Bcc is removed before sending
          -i, -oi       a line with a single dot is data, not the end of the message
          -f sender     envelope sender (also -fsender); -r sender is the same
          -F name       full name for the From header added when there is none
          -bm           read a message from standard input and send it (the default)
          -bs           speak SMTP on standard input and output
          -v            say what is done
          -bp, -q       as the first option: list the queue (mailq), deliver deferred mail now (postqueue -f)
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
            Options options = parse(args);
            Settings settings = Settings.load(environment);
            if (options.smtpSession()) {
                return smtpSession(settings);
            }
            return send(options, settings);
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
        String sender = qualify(options.sender() != null ? options.sender() : environment.getOrDefault("USER",
            environment.getOrDefault("LOGNAME", "nobody")), settings);
        List<String> recipients = new ArrayList<>();
        options.recipients().forEach(recipient -> recipients.addAll(AddressList.parse(recipient)));
        if (options.extractRecipients()) {
            for (String header : List.of("to", "cc", "bcc")) {
                message.values(header).forEach(value -> recipients.addAll(AddressList.parse(value)));
            }
        }
        if (recipients.isEmpty()) {
            throw new SendmailException(options.extractRecipients() ? SendmailException.EX_DATAERR : SendmailException.EX_USAGE,
                options.extractRecipients() ? "no recipients in the To, Cc and Bcc headers" : "no recipients given (use -t to read them from the headers)");
        }
        List<String> qualified = recipients.stream().map(recipient -> qualify(recipient, settings)).distinct().toList();
        message.remove("bcc");
        if (message.values("from").isEmpty()) {
            message.prepend("From: " + (options.fullName() != null ? "\"" + options.fullName().replace("\"", "") + "\" <" + sender + ">" : sender));
        }
        if (message.values("date").isEmpty()) {
            message.prepend("Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now()));
        }
        if (message.values("message-id").isEmpty()) {
            message.prepend("Message-ID: <" + UUID.randomUUID() + "@" + settings.defaultDomain() + ">");
        }
        byte[] bytes = message.bytes();
        try {
            List<String> refused = Submission.submit(settings, sender, qualified, bytes);
            if (!refused.isEmpty()) {
                boolean domain = refused.stream().allMatch(reply -> reply.contains(" 5.1.2") || reply.contains(" 5.4.4"));
                throw new SendmailException(domain ? SendmailException.EX_NOHOST : SendmailException.EX_NOUSER,
                    "recipient refused: " + String.join("; ", refused));
            }
            if (options.verbose()) {
                out.println("sendmail: sent to " + String.join(", ", qualified));
            }
            return 0;
        } catch (Submission.Temporary temporary) {
            try {
                Maildrop.write(settings.maildrop(), sender, qualified, bytes);
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
        String trimmed = address.trim();
        return trimmed.isEmpty() || trimmed.contains("@") ? trimmed : trimmed + "@" + settings.defaultDomain();
    }

    private static Options parse(String[] args) throws SendmailException {
        boolean extract = false;
        boolean ignoreDots = false;
        boolean smtpSession = false;
        boolean verbose = false;
        String sender = null;
        String fullName = null;
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                recipients.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                recipients.add(arg);
                continue;
            }
            switch (arg.substring(0, 2)) {
                case "-t" -> extract = true;
                case "-i" -> ignoreDots = true;
                case "-v" -> verbose = true;
                case "-f", "-r" -> {
                    sender = optionValue(args, i, arg);
                    i += arg.length() == 2 ? 1 : 0;
                }
                case "-F" -> {
                    fullName = optionValue(args, i, arg);
                    i += arg.length() == 2 ? 1 : 0;
                }
                case "-b" -> {
                    switch (arg) {
                        case "-bm" -> smtpSession = false;
                        case "-bs" -> smtpSession = true;
                        default -> throw new SendmailException(SendmailException.EX_USAGE, "unsupported mode '" + arg + "': only -bm and -bs, or -bp first");
                    }
                }
                case "-o" -> ignoreDots |= arg.equals("-oi");
                case "-B", "-N", "-R", "-V", "-X", "-L", "-C" -> i += arg.length() == 2 ? 1 : 0;
                default -> throw new SendmailException(SendmailException.EX_USAGE, "unknown option '" + arg + "'");
            }
        }
        if (sender != null && sender.equals("<>")) {
            sender = "";
        }
        return new Options(extract, ignoreDots, sender, fullName, smtpSession, verbose, recipients);
    }

    private static String optionValue(String[] args, int index, String arg) throws SendmailException {
        if (arg.length() > 2) {
            return arg.substring(2);
        }
        if (index + 1 >= args.length) {
            throw new SendmailException(SendmailException.EX_USAGE, "option " + arg + " needs a value");
        }
        return args[index + 1];
    }
}

package io.sendonly.sendmail;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The command line, read as POSIX getopt reads it (Postfix sendmail's option string): flags may be bundled
 * ({@code -ti}, {@code -oi}), an option's value is the rest of its argument or the next argument ({@code -fuser},
 * {@code -f user}, also when it begins with {@code -}), and options end at {@code --} or at the first argument
 * that is not one; the rest are recipients. No argument may hold a control character (CR, LF, NUL...).
 */
record Options(Mode mode, boolean extractRecipients, boolean ignoreDots, Optional<String> sender, Optional<String> fullName,
               boolean verbose, List<String> recipients) {
    enum Mode {
        /** -bm, the default: read a message and send it */
        DELIVER,
        /** -bs: an SMTP session on standard input and output */
        SMTP_SESSION,
        /** -bp: list the queue */
        LIST_QUEUE,
        /** -q: flush the queue */
        FLUSH_QUEUE
    }

    private static final String FLAGS = "itv";
    private static final String WITH_VALUE = "BCFLNRVXbforq";

    static Options parse(String[] args) throws SendmailException {
        for (String arg : args) {
            if (arg.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw usage("an argument holds a control character (CR, LF, NUL...)");
            }
        }
        Mode mode = Mode.DELIVER;
        boolean extract = false;
        boolean ignoreDots = false;
        boolean verbose = false;
        String sender = null;
        String fullName = null;
        int next = 0;
        while (next < args.length && args[next].startsWith("-") && !args[next].equals("-")) {
            String arg = args[next++];
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-q")) {
                mode = Mode.FLUSH_QUEUE;
                continue;
            }
            for (int position = 1; position < arg.length(); position++) {
                char option = arg.charAt(position);
                if (FLAGS.indexOf(option) >= 0) {
                    extract |= option == 't';
                    ignoreDots |= option == 'i';
                    verbose |= option == 'v';
                    continue;
                }
                if (WITH_VALUE.indexOf(option) < 0) {
                    throw usage("unknown option '-" + option + "'");
                }
                String value;
                if (position + 1 < arg.length()) {
                    value = arg.substring(position + 1);
                } else if (next < args.length) {
                    value = args[next++];
                } else {
                    throw usage("option -" + option + " needs a value");
                }
                switch (option) {
                    case 'f', 'r' -> sender = value;
                    case 'F' -> fullName = fullName(value);
                    case 'b' -> mode = mode(value);
                    case 'o' -> ignoreDots |= value.startsWith("i");
                    case 'q' -> throw usage("-q" + value + " is not supported: -q flushes the whole queue");
                    default -> {
                        // -B, -C, -L, -N, -R, -V, -X: accepted and ignored, as Postfix does
                    }
                }
                break;
            }
        }
        if (mode != Mode.DELIVER && next < args.length) {
            throw usage("recipients are for -bm only");
        }
        return new Options(mode, extract, ignoreDots, Optional.ofNullable(sender).map(Options::unbracket), Optional.ofNullable(fullName),
            verbose, List.copyOf(Arrays.asList(args).subList(next, args.length)));
    }

    private static Mode mode(String value) throws SendmailException {
        return switch (value) {
            case "m" -> Mode.DELIVER;
            case "s" -> Mode.SMTP_SESSION;
            case "p" -> Mode.LIST_QUEUE;
            default -> throw usage("unsupported mode '-b" + value + "': only -bm, -bs and -bp");
        };
    }

    private static String fullName(String value) throws SendmailException {
        Optional<String> problem = DisplayName.problem(value);
        if (problem.isPresent()) {
            throw usage("bad full name -F: " + problem.get());
        }
        return value;
    }

    /** {@code -f '<user@example.com>'} is the same as {@code -f user@example.com}; {@code <>} is the null sender. */
    private static String unbracket(String sender) {
        return sender.length() >= 2 && sender.startsWith("<") && sender.endsWith(">") ? sender.substring(1, sender.length() - 1) : sender;
    }

    private static SendmailException usage(String message) {
        return new SendmailException(SendmailException.EX_USAGE, message);
    }
}

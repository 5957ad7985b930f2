package io.sendonly.sendmail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A failure with its sysexits.h exit code; the message is printed as {@code sendmail: message}. */
final class SendmailException extends Exception {
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_NOHOST = 68;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;
    static final int EX_PROTOCOL = 76;
    static final int EX_NOPERM = 77;
    static final int EX_CONFIG = 78;

    private static final Pattern ENHANCED_CODE = Pattern.compile("^5\\d\\d[ -]5\\.(\\d{1,3})\\.(\\d{1,3})");

    private final int exitCode;

    SendmailException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * The exit code for a 5xx reply, by its enhanced status code (RFC 3463) as Postfix's sys_exits table pairs them:
     * x.1.2 and x.4.4 (no such domain) 68, other x.1 (mailbox) 67, x.5 (protocol) 76, x.6 (content) 65,
     * x.7 (policy, authentication) 77; {@code fallback} for any other or none.
     */
    static int exitCode(String reply, int fallback) {
        Matcher code = ENHANCED_CODE.matcher(reply);
        if (!code.find()) {
            return fallback;
        }
        String subject = code.group(1);
        String detail = code.group(2);
        if (subject.equals("1") && detail.equals("2") || subject.equals("4") && detail.equals("4")) {
            return EX_NOHOST;
        }
        return switch (subject) {
            case "1" -> EX_NOUSER;
            case "5" -> EX_PROTOCOL;
            case "6" -> EX_DATAERR;
            case "7" -> EX_NOPERM;
            default -> fallback;
        };
    }

    int exitCode() {
        return exitCode;
    }
}

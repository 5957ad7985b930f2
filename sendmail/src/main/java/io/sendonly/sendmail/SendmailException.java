package io.sendonly.sendmail;

/** A failure with its sysexits.h exit code; the message is printed as {@code sendmail: message}. */
final class SendmailException extends Exception {
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_NOHOST = 68;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;

    private final int exitCode;

    SendmailException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

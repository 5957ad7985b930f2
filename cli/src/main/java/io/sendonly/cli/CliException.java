package io.sendonly.cli;

/** A failure with its sysexits.h exit code; the message is printed as {@code PROGRAM: message}. */
final class CliException extends Exception {
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;
    static final int EX_CONFIG = 78;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

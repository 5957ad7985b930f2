package io.sendonly.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An SMTP reply: its code and its lines, continuation markers removed. */
public record Reply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\b.*");

    public boolean positive() {
        return code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** The RFC 3463 status the server gave, or the class default (2.0.0, 4.0.0, 5.0.0). */
    public String status() {
        Matcher matcher = ENHANCED.matcher(lines.get(0));
        return matcher.matches() ? matcher.group(1) : (code / 100) + ".0.0";
    }

    /** The reply as one line, for logs, error messages and DSN Diagnostic-Code fields. */
    @Override
    public String toString() {
        return code + " " + String.join(" ", lines);
    }
}

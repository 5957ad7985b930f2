package io.sendonly.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** RFC 6376 §3.4 header and body canonicalization, over CRLF-normalized message bytes. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Canonicalization parse(String value) {
        for (Canonicalization candidate : values()) {
            if (candidate.tagValue().equals(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a canonicalization: expected simple or relaxed");
    }

    /** @param field one header field as transmitted: name, colon, value with its folding, without the final CRLF */
    public String header(String field) {
        if (this == SIMPLE) {
            return field + "\r\n";
        }
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").trim();
        return name + ":" + value + "\r\n";
    }

    /** @param body the body after the header/body separator, CRLF line endings */
    public byte[] body(byte[] body) {
        byte[] lines = this == RELAXED ? relaxLines(body) : body;
        int end = lines.length;
        while (end >= 2 && lines[end - 2] == '\r' && lines[end - 1] == '\n') {
            end -= 2;
        }
        if (end == 0) {
            // An empty body is "CRLF" in simple, "" in relaxed (RFC 6376 §3.4.3, §3.4.4).
            return this == SIMPLE ? new byte[] {'\r', '\n'} : new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end + 2);
        out.write(lines, 0, end);
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Reduces runs of WSP to one space and removes WSP at line ends. */
    private static byte[] relaxLines(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        boolean pendingSpace = false;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == ' ' || b == '\t') {
                pendingSpace = true;
            } else if (b == '\r' && i + 1 < body.length && body[i + 1] == '\n') {
                pendingSpace = false;
                out.write('\r');
                out.write('\n');
                i++;
            } else {
                if (pendingSpace) {
                    out.write(' ');
                    pendingSpace = false;
                }
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}

package io.sendonly.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A message as it will be transmitted, split into header fields (each with its folding, without the final CRLF)
 * and body bytes. Bare LF line ends are read as CRLF, since SMTP transmission writes CRLF.
 */
public final class RawMessage {
    private final List<String> fields;
    private final byte[] body;

    private RawMessage(List<String> fields, byte[] body) {
        this.fields = List.copyOf(fields);
        this.body = body;
    }

    public static RawMessage parse(byte[] message) {
        byte[] crlf = toCrlf(message);
        int separator = indexOf(crlf, new byte[] {'\r', '\n', '\r', '\n'});
        int headerEnd = separator < 0 ? crlf.length : separator + 2;
        byte[] body = separator < 0 ? new byte[0] : Arrays.copyOfRange(crlf, separator + 4, crlf.length);
        // Header bytes beyond ASCII (RFC 6532) are kept as UTF-8.
        String headers = new String(crlf, 0, headerEnd, StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (String line : headers.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return new RawMessage(fields, body);
    }

    public List<String> fields() {
        return fields;
    }

    public byte[] body() {
        return body;
    }

    /** The fields named {@code name} (case-insensitive), top to bottom. */
    public List<String> fields(String name) {
        List<String> matching = new ArrayList<>();
        for (String field : fields) {
            if (nameOf(field).equalsIgnoreCase(name)) {
                matching.add(field);
            }
        }
        return matching;
    }

    public static String nameOf(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    public static String valueOf(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(colon + 1);
    }

    private static byte[] toCrlf(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 40);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        // The header may be empty: a message starting with CRLF has its separator at -2.
        if (data.length >= 2 && data[0] == '\r' && data[1] == '\n') {
            return -2;
        }
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The submitted message: header fields (with their folding) and body, CRLF line ends. */
final class Message {
    private static final Pattern HEADER_FIELD = Pattern.compile("[!-9;-~]+:.*");

    private final List<String> fields;
    private final byte[] body;

    private Message(List<String> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
    }

    /**
     * As Postfix's cleanup: the headers end at the first line that is not a header field nor the continuation of
     * one, and that line starts the body (an empty line there is the separator and is dropped).
     */
    static Message parse(byte[] input) {
        byte[] crlf = toCrlf(input);
        String text = new String(crlf, StandardCharsets.ISO_8859_1);
        List<String> fields = new ArrayList<>();
        int position = 0;
        while (position < text.length()) {
            int end = text.indexOf("\r\n", position);
            String line = text.substring(position, end < 0 ? text.length() : end);
            boolean continuation = !fields.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"));
            if (!continuation && !HEADER_FIELD.matcher(line).matches()) {
                if (line.isEmpty()) {
                    position = end + 2;
                }
                break;
            }
            if (continuation) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
            position = end < 0 ? text.length() : end + 2;
        }
        return new Message(fields, Arrays.copyOfRange(crlf, position, crlf.length));
    }

    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String field : fields) {
            if (nameOf(field).equals(name)) {
                values.add(new String(field.substring(field.indexOf(':') + 1).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    void remove(String name) {
        fields.removeIf(field -> nameOf(field).equals(name));
    }

    void prepend(String field) {
        fields.add(0, new String(field.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        for (String field : fields) {
            out.writeBytes((field + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        if (body.length > 0 && body[body.length - 1] != '\n') {
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static String nameOf(String field) {
        return field.substring(0, field.indexOf(':')).trim().toLowerCase(Locale.ROOT);
    }

    private static byte[] toCrlf(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + input.length / 40);
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(input[i]);
        }
        return out.toByteArray();
    }
}

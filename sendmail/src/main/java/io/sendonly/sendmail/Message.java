package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The submitted message: header fields (with their folding) and body, CRLF line ends. */
final class Message {
    private final List<String> fields;
    private final byte[] body;

    private Message(List<String> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
    }

    static Message parse(byte[] input) throws SendmailException {
        byte[] crlf = toCrlf(input);
        String text = new String(crlf, StandardCharsets.ISO_8859_1);
        int separator = text.indexOf("\r\n\r\n");
        String headers = separator < 0 ? text : text.substring(0, separator + 2);
        byte[] body = separator < 0 ? new byte[0] : Arrays.copyOfRange(crlf, separator + 4, crlf.length);
        List<String> fields = new ArrayList<>();
        int lineNumber = 0;
        for (String line : headers.split("\r\n")) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(" ") || line.startsWith("\t")) {
                if (fields.isEmpty()) {
                    throw new SendmailException(SendmailException.EX_DATAERR, "malformed header: line 1 is a continuation line");
                }
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else if (line.matches("[!-9;-~]+:.*")) {
                fields.add(line);
            } else {
                throw new SendmailException(SendmailException.EX_DATAERR, "malformed header at line " + lineNumber + ": no 'name:'");
            }
        }
        return new Message(fields, body);
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

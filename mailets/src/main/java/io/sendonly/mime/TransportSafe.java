package io.sendonly.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a message safe for any SMTP hop before it is signed, so that no hop ever needs to change it afterwards:
 * <ul>
 *   <li>a header line over 998 octets (RFC 5322 2.1.1) is folded at its spaces;</li>
 *   <li>a leaf MIME part sent as is (7bit, 8bit, binary or no Content-Transfer-Encoding) that has a line over 998
 *       octets, an 8-bit octet, a bare CR or a NUL is encoded: quoted-printable for text (its charset and meaning
 *       kept), base64 for anything else.</li>
 * </ul>
 * The result is 7-bit in its bodies, so it is sent unchanged whether or not the next hop offers 8BITMIME, and a
 * signature made on it stays valid everywhere. Parts that need nothing keep their exact bytes; {@code message/rfc822}
 * parts are entered, as they may not be encoded themselves (RFC 2046 5.2.1).
 */
public final class TransportSafe {
    static final int MAX_LINE = 998;
    private static final int QP_LINE = 76;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary\\s*=\\s*(\"([^\"]+)\"|([^\\s;]+))");

    private TransportSafe() {
    }

    /** @return the message made safe, or the very same array when nothing needed a change */
    public static byte[] of(byte[] message) {
        Entity entity = Entity.parse(message, 0, message.length);
        byte[] safe = entity.safe(message, true);
        return safe == null ? message : safe;
    }

    /** One MIME entity: its header block and body, as offsets in the message. */
    private record Entity(int start, int bodyStart, int end, List<Field> fields) {
        static Entity parse(byte[] bytes, int start, int end) {
            List<Field> fields = new ArrayList<>();
            int position = start;
            while (position < end) {
                int lineEnd = lineEnd(bytes, position, end);
                if (lineEnd == position) {
                    return new Entity(start, next(bytes, lineEnd, end), end, fields);
                }
                boolean continuation = bytes[position] == ' ' || bytes[position] == '\t';
                if (continuation && !fields.isEmpty()) {
                    fields.set(fields.size() - 1, fields.get(fields.size() - 1).extendedTo(next(bytes, lineEnd, end)));
                } else {
                    fields.add(new Field(position, next(bytes, lineEnd, end)));
                }
                position = next(bytes, lineEnd, end);
            }
            return new Entity(start, end, end, fields);
        }

        /** @return the entity made safe, or null when it needs no change */
        byte[] safe(byte[] bytes, boolean top) {
            List<byte[]> headers = new ArrayList<>();
            boolean headersChanged = false;
            for (Field field : fields) {
                byte[] folded = field.folded(bytes);
                headersChanged |= folded != null;
                headers.add(folded != null ? folded : field.bytes(bytes));
            }
            String contentType = header(bytes, "Content-Type").orElse("text/plain").trim();
            String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
            String encoding = header(bytes, "Content-Transfer-Encoding").orElse("7bit").trim().toLowerCase(Locale.ROOT);
            byte[] body = null;
            Optional<String> newEncoding = Optional.empty();
            if (type.startsWith("multipart/")) {
                body = boundary(contentType).map(boundary -> multipart(bytes, boundary)).orElse(null);
            } else if (type.equals("message/rfc822")) {
                body = Entity.parse(bytes, bodyStart, end).safe(bytes, false);
            } else if ((encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary"))
                && needsEncoding(bytes, bodyStart, end)) {
                boolean text = type.startsWith("text/");
                body = text ? quotedPrintable(bytes, bodyStart, end) : base64(bytes, bodyStart, end);
                newEncoding = Optional.of(text ? "quoted-printable" : "base64");
            }
            if (!headersChanged && body == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 1024);
            for (int i = 0; i < fields.size(); i++) {
                if (newEncoding.isEmpty() || !fields.get(i).named(bytes, "Content-Transfer-Encoding")) {
                    out.writeBytes(headers.get(i));
                }
            }
            newEncoding.ifPresent(value -> out.writeBytes(("Content-Transfer-Encoding: " + value + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            if (top && newEncoding.isPresent() && header(bytes, "MIME-Version").isEmpty()) {
                out.writeBytes("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(bytes, fields.isEmpty() ? start : fields.get(fields.size() - 1).end(), bodyStart - (fields.isEmpty() ? start : fields.get(fields.size() - 1).end()));
            if (body != null) {
                out.writeBytes(body);
            } else {
                out.write(bytes, bodyStart, end - bodyStart);
            }
            return out.toByteArray();
        }

        private Optional<String> header(byte[] bytes, String name) {
            return fields.stream().filter(field -> field.named(bytes, name)).findFirst().map(field -> field.value(bytes));
        }

        /** The body with each part made safe, or null when none changed. Boundary lines, preamble and epilogue are kept. */
        private byte[] multipart(byte[] bytes, String boundary) {
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream out = new ByteArrayOutputStream(end - bodyStart + 1024);
            boolean changed = false;
            int partStart = -1;
            int copiedTo = bodyStart;
            int position = bodyStart;
            while (position < end) {
                int lineEnd = lineEnd(bytes, position, end);
                if (isDelimiter(bytes, position, lineEnd, delimiter)) {
                    if (partStart >= 0) {
                        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
                        int partEnd = position >= 2 && bytes[position - 2] == '\r' ? position - 2 : position - 1;
                        partEnd = Math.max(partEnd, partStart);
                        byte[] part = Entity.parse(bytes, partStart, partEnd).safe(bytes, false);
                        if (part != null) {
                            out.write(bytes, copiedTo, partStart - copiedTo);
                            out.writeBytes(part);
                            copiedTo = partEnd;
                            changed = true;
                        }
                    }
                    boolean last = lineEnd - position >= delimiter.length + 2 && bytes[position + delimiter.length] == '-'
                        && bytes[position + delimiter.length + 1] == '-';
                    partStart = last ? -1 : next(bytes, lineEnd, end);
                    if (last) {
                        break;
                    }
                }
                position = next(bytes, lineEnd, end);
            }
            if (!changed) {
                return null;
            }
            out.write(bytes, copiedTo, end - copiedTo);
            return out.toByteArray();
        }
    }

    /** One header field, continuation lines included, as offsets in the message. */
    private record Field(int start, int end) {
        Field extendedTo(int newEnd) {
            return new Field(start, newEnd);
        }

        byte[] bytes(byte[] message) {
            byte[] copy = new byte[end - start];
            System.arraycopy(message, start, copy, 0, copy.length);
            return copy;
        }

        boolean named(byte[] message, String name) {
            int colon = indexOf(message, start, end, (byte) ':');
            return colon > start && new String(message, start, colon - start, StandardCharsets.ISO_8859_1).trim().equalsIgnoreCase(name);
        }

        String value(byte[] message) {
            int colon = indexOf(message, start, end, (byte) ':');
            return new String(message, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).replaceAll("\r?\n[ \t]", " ");
        }

        /** The field folded at spaces when one of its lines is over 998 octets; null when none is. */
        byte[] folded(byte[] message) {
            boolean tooLong = false;
            for (int position = start; position < end && !tooLong; ) {
                int lineEnd = lineEnd(message, position, end);
                tooLong = lineEnd - position > MAX_LINE;
                position = next(message, lineEnd, end);
            }
            if (!tooLong) {
                return null;
            }
            String unfolded = new String(message, start, end - start, StandardCharsets.ISO_8859_1)
                .replaceAll("\r?\n(?=[ \t])", "").replaceAll("\r?\n$", "");
            StringBuilder out = new StringBuilder(unfolded.length() + 64);
            int lineLength = 0;
            for (String word : unfolded.split("(?=[ \t])")) {
                if (lineLength > 0 && lineLength + word.length() > QP_LINE) {
                    out.append("\r\n");
                    lineLength = 0;
                }
                out.append(word);
                lineLength += word.length();
            }
            return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    static boolean needsEncoding(byte[] bytes, int start, int end) {
        int lineLength = 0;
        for (int i = start; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\n') {
                lineLength = 0;
                continue;
            }
            boolean bareCr = b == '\r' && (i + 1 >= end || bytes[i + 1] != '\n');
            if (b >= 0x80 || b == 0 || bareCr || (b != '\r' && ++lineLength > MAX_LINE)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 2045 6.7: line breaks (CRLF or LF) stay hard breaks, everything else that is not plain ASCII is =XX. */
    static byte[] quotedPrintable(byte[] bytes, int start, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((end - start) * 11 / 10 + 16);
        int lineLength = 0;
        for (int i = start; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r' && i + 1 < end && bytes[i + 1] == '\n') {
                continue;
            }
            if (b == '\n') {
                out.writeBytes(CRLF);
                lineLength = 0;
                continue;
            }
            boolean atLineEnd = i + 1 >= end || bytes[i + 1] == '\n' || (bytes[i + 1] == '\r' && i + 2 < end && bytes[i + 2] == '\n');
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !atLineEnd);
            int width = literal ? 1 : 3;
            if (lineLength + width > QP_LINE - 1) {
                out.writeBytes(new byte[] {'=', '\r', '\n'});
                lineLength = 0;
            }
            if (literal) {
                out.write(b);
            } else {
                out.writeBytes(String.format("=%02X", b).getBytes(StandardCharsets.US_ASCII));
            }
            lineLength += width;
        }
        return out.toByteArray();
    }

    static byte[] base64(byte[] bytes, int start, int end) {
        byte[] content = new byte[end - start];
        System.arraycopy(bytes, start, content, 0, content.length);
        byte[] encoded = Base64.getMimeEncoder(QP_LINE, CRLF).encode(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 2);
        out.writeBytes(encoded);
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    private static Optional<String> boundary(String contentType) {
        Matcher matcher = BOUNDARY.matcher(contentType);
        return matcher.find() ? Optional.of(matcher.group(2) != null ? matcher.group(2) : matcher.group(3)) : Optional.empty();
    }

    /** The index of the line's LF (or CR of its CRLF), or {@code end}. */
    private static int lineEnd(byte[] bytes, int position, int end) {
        for (int i = position; i < end; i++) {
            if (bytes[i] == '\n') {
                return i > position && bytes[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return end;
    }

    /** The start of the line after the one ending at {@code lineEnd}. */
    private static int next(byte[] bytes, int lineEnd, int end) {
        if (lineEnd < end && bytes[lineEnd] == '\r' && lineEnd + 1 < end && bytes[lineEnd + 1] == '\n') {
            return lineEnd + 2;
        }
        return Math.min(lineEnd + 1, end);
    }

    /** {@code --boundary} or {@code --boundary--}, then nothing but spaces (RFC 2046 5.1.1). */
    private static boolean isDelimiter(byte[] bytes, int position, int lineEnd, byte[] delimiter) {
        if (lineEnd - position < delimiter.length) {
            return false;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (bytes[position + i] != delimiter[i]) {
                return false;
            }
        }
        int rest = position + delimiter.length;
        if (lineEnd - rest >= 2 && bytes[rest] == '-' && bytes[rest + 1] == '-') {
            rest += 2;
        }
        for (int i = rest; i < lineEnd; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int start, int end, byte value) {
        for (int i = start; i < end; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}

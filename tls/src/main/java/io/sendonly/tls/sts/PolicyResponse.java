package io.sendonly.tls.sts;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sendonly.tls.ResultType;

/**
 * The HTTP/1.1 answer to the policy request, read with bounds (RFC 8461 section 3.3): status 200 only (a redirect is
 * not followed), media type {@code text/plain}, a body of at most {@link #MAX_BODY} bytes, whole or chunked.
 */
final class PolicyResponse {
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] ([0-9]{3})(?: .*)?");

    private PolicyResponse() {
    }

    /** The body of a 200 {@code text/plain} answer read from {@code in}. */
    static String read(InputStream in) throws IOException, PolicyUnavailable {
        String statusLine = line(in);
        Matcher status = STATUS.matcher(statusLine);
        if (!status.matches()) {
            throw fetchError("the answer is not HTTP/1.x: '" + printable(statusLine) + "'");
        }
        Map<String, String> headers = headers(in);
        int code = Integer.parseInt(status.group(1));
        if (code != 200) {
            throw fetchError("HTTP " + code + (code / 100 == 3 ? " (redirects are not followed)" : ""));
        }
        String mediaType = headers.getOrDefault("content-type", "").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/plain")) {
            throw invalid("media type is '" + printable(mediaType) + "', not text/plain");
        }
        byte[] body;
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = exactly(in, contentLength(headers.get("content-length")));
        } else {
            body = untilEnd(in);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(InputStream in) throws IOException, PolicyUnavailable {
        Map<String, String> headers = new HashMap<>();
        for (int count = 0; count <= MAX_HEADERS; count++) {
            String line = line(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw fetchError("malformed header line '" + printable(line) + "'");
            }
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        throw fetchError("more than " + MAX_HEADERS + " header lines");
    }

    private static int contentLength(String value) throws PolicyUnavailable {
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw fetchError("Content-Length '" + printable(value) + "' is not a number");
        }
        if (length < 0 || length > MAX_BODY) {
            throw tooLarge();
        }
        return (int) length;
    }

    private static byte[] chunked(InputStream in) throws IOException, PolicyUnavailable {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in).split(";", 2)[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeLine, 16);
            } catch (NumberFormatException e) {
                throw fetchError("chunk size '" + printable(sizeLine) + "' is not hexadecimal");
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw tooLarge();
            }
            if (size == 0) {
                return body.toByteArray();
            }
            body.writeBytes(exactly(in, size));
            if (!line(in).isEmpty()) {
                throw fetchError("a chunk is longer than its size");
            }
        }
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private static byte[] untilEnd(InputStream in) throws IOException, PolicyUnavailable {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw tooLarge();
        }
        return bytes;
    }

    /** A line ended by CRLF or LF, without its end. */
    private static String line(InputStream in) throws IOException, PolicyUnavailable {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("the connection closed before the end of a line");
            }
            if (next == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw fetchError("a header line is longer than " + MAX_LINE + " bytes");
            }
            line.append((char) next);
        }
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static PolicyUnavailable tooLarge() {
        return invalid("the policy is larger than " + MAX_BODY / 1024 + " KB");
    }

    private static PolicyUnavailable invalid(String problem) {
        return new PolicyUnavailable(ResultType.STS_POLICY_INVALID, "MTA-STS policy invalid: " + problem);
    }

    private static PolicyUnavailable fetchError(String problem) {
        return new PolicyUnavailable(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy fetch failed: " + problem);
    }
}

package io.sendonly.sendmail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code -F} full name as the display name of the From header sendmail adds: an RFC 5322 quoted string when it
 * is printable ASCII, else RFC 2047 encoded words ({@code =?UTF-8?B?...?=}, at most 75 characters each, folded onto
 * continuation lines). Either way nothing in the name can end the header or add another one.
 */
final class DisplayName {
    static final int MAX_LENGTH = 256;
    // 45 octets make 60 base64 characters: with "=?UTF-8?B?" and "?=" an encoded word stays within 75.
    private static final int OCTETS_PER_WORD = 45;

    private DisplayName() {
    }

    /** @return why {@code name} cannot be a display name (line breaks, controls, broken UTF-16), or empty */
    static Optional<String> problem(String name) {
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        boolean forbidden = name.codePoints().anyMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            default -> false;
        });
        return forbidden ? Optional.of("control character, line break or invalid character") : Optional.empty();
    }

    /** @param name a name without {@link #problem} */
    static String encode(String name) {
        if (name.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        List<String> words = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int octets = 0;
        for (int c : name.codePoints().toArray()) {
            int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > OCTETS_PER_WORD) {
                words.add(encodedWord(chunk.toString()));
                chunk.setLength(0);
                octets = 0;
            }
            chunk.appendCodePoint(c);
            octets += size;
        }
        words.add(encodedWord(chunk.toString()));
        return String.join("\r\n ", words);
    }

    private static String encodedWord(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}

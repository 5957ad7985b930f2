package io.sendonly.config;

/**
 * Checks on a value before it goes into a line of a configuration file, so that the file reads back as the same
 * value: no line breaks, tabs, NUL or other control characters (a line break would make a second, live line), no
 * {@code #} (it would start a comment). Messages start with the field's name, e.g. {@code "pattern: ..."}.
 */
public final class Fields {
    /** Longer than any host name, address or nullmailer line; keeps a file readable by people. */
    public static final int MAX_LENGTH = 1000;

    private Fields() {
    }

    /** One word of a line: not empty, no whitespace. */
    public static String word(String field, String value) {
        text(field, value);
        if (value.codePoints().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(field + ": '" + value + "' has whitespace: expected one word");
        }
        return value;
    }

    /** The rest of a line: not empty, words separated by single spaces (extra spaces would not read back). */
    public static String text(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(field + ": " + value.length() + " characters, at most " + MAX_LENGTH);
        }
        characters(field, value);
        if (!value.equals(value.trim()) || value.contains("  ")) {
            throw new IllegalArgumentException(field + ": '" + value + "' has leading, trailing or double spaces");
        }
        return value;
    }

    /** No character a line of a file cannot hold: control characters, invisible ones, {@code #}. */
    public static String characters(String field, String value) {
        value.codePoints().filter(Fields::forbidden).findFirst().ifPresent(character -> {
            throw new IllegalArgumentException(field + ": " + describe(character) + " is not allowed");
        });
        return value;
    }

    private static boolean forbidden(int character) {
        return Character.isISOControl(character) || character == '#' || character == '\u2028' || character == '\u2029'
            || Character.getType(character) == Character.FORMAT;
    }

    private static String describe(int character) {
        return character == '#' ? "'#' (it starts a comment)" : String.format("the control or invisible character U+%04X", character);
    }
}

package io.sendonly.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in bytes as operators write them: a number, optionally followed by {@code k}, {@code m} or {@code g} (powers of 1024). */
public final class Sizes {
    private static final Pattern VALUE = Pattern.compile("([0-9]{1,12})([kmg]?)");

    private Sizes() {
    }

    /** @param parameter named in the error, e.g. {@code maxFileSize} */
    public static long parse(String value, String parameter) {
        Matcher matcher = VALUE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("<" + parameter + "> '" + value + "': expected a positive number of bytes, "
                + "optionally followed by k, m or g, e.g. 100m");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "k" -> amount << 10;
            case "m" -> amount << 20;
            case "g" -> amount << 30;
            default -> amount;
        };
    }
}

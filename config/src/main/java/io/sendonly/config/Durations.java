package io.sendonly.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time values as Postfix writes them: a number and a unit, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} or {@code w}. */
public final class Durations {
    private static final Pattern VALUE = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d|w)");

    private Durations() {
    }

    /** @param parameter named in the error, e.g. {@code maxQueueLifetime} */
    public static Duration parse(String value, String parameter) {
        Matcher matcher = VALUE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("<" + parameter + "> '" + value + "': expected a number and ms, s, m, h, d or w, e.g. 5d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }
}

package io.sendonly.tls.sts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsPolicy;

/**
 * The policy file of RFC 8461 section 3.2: {@code key: value} lines ended by LF or CRLF. {@code version},
 * {@code mode} and {@code max_age} are required, and at least one {@code mx} unless the mode is {@code none};
 * other keys are ignored, and of a repeated key other than {@code mx} the first counts.
 */
final class PolicyText {
    /** RFC 8461 section 3.2: a year. */
    static final long MAX_AGE_LIMIT = 31_557_600;
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(\\S(?:[ \t\\x21-\\x7e]*\\S)?)[ \t]*");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private PolicyText() {
    }

    /** @throws PolicyUnavailable sts-policy-invalid, naming the line or the field at fault */
    static StsPolicy parse(String domain, String id, String text) throws PolicyUnavailable {
        Map<String, String> fields = new HashMap<>();
        List<String> mx = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        String[] rows = text.split("\r?\n", -1);
        for (int number = 1; number <= rows.length; number++) {
            String row = rows[number - 1];
            if (row.isBlank()) {
                continue;
            }
            Matcher line = LINE.matcher(row);
            if (!line.matches()) {
                throw invalid("line " + number + " is not 'key: value'");
            }
            lines.add(row);
            String key = line.group(1);
            if (key.equals("mx")) {
                mx.add(mxPattern(line.group(2)));
            } else {
                fields.putIfAbsent(key, line.group(2));
            }
        }
        if (!"STSv1".equals(fields.get("version"))) {
            throw invalid("version is " + describe(fields.get("version")) + ", not STSv1");
        }
        StsPolicy.Mode mode = mode(fields.get("mode"));
        Duration maxAge = maxAge(fields.get("max_age"));
        if (mx.isEmpty() && mode != StsPolicy.Mode.NONE) {
            throw invalid("no mx in mode " + fields.get("mode"));
        }
        return new StsPolicy(domain, mode, List.copyOf(mx), maxAge, id, List.copyOf(lines));
    }

    private static StsPolicy.Mode mode(String value) throws PolicyUnavailable {
        if (value != null) {
            switch (value) {
                case "enforce", "testing", "none":
                    return StsPolicy.Mode.valueOf(value.toUpperCase(Locale.ROOT));
                default:
                    break;
            }
        }
        throw invalid("mode is " + describe(value) + ", not enforce, testing or none");
    }

    private static Duration maxAge(String value) throws PolicyUnavailable {
        if (value == null || !MAX_AGE.matcher(value).matches() || Long.parseLong(value) > MAX_AGE_LIMIT) {
            throw invalid("max_age is " + describe(value) + ", not seconds up to " + MAX_AGE_LIMIT);
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    /** A host name, or {@code *.} and a name: the pattern {@link StsPolicy#allowsMx} matches. */
    private static String mxPattern(String value) throws PolicyUnavailable {
        String pattern = value.toLowerCase(Locale.ROOT);
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String[] labels = name.split("\\.", -1);
        boolean valid = name.length() <= 253 && labels.length >= 2;
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        if (!valid) {
            throw invalid("mx '" + value + "' is not a host name or *. and a host name");
        }
        return pattern;
    }

    private static String describe(String value) {
        return value == null ? "missing" : "'" + value + "'";
    }

    private static PolicyUnavailable invalid(String problem) {
        return new PolicyUnavailable(ResultType.STS_POLICY_INVALID, "MTA-STS policy invalid: " + problem);
    }
}

package io.sendonly.metrics;

import java.util.List;

/**
 * A page in the Prometheus text exposition format 0.0.4: each family's {@code # HELP} and {@code # TYPE} lines, then
 * its samples, label values escaped as the format requires.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(4096);

    /** @param type counter, gauge or histogram */
    public PrometheusText family(String name, String help, String type) {
        text.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labelNames} and {@code labelValues} pair up by position. */
    public PrometheusText sample(String name, List<String> labelNames, List<String> labelValues, double value) {
        text.append(name);
        if (!labelNames.isEmpty()) {
            text.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(labelNames.get(i)).append("=\"");
                escape(labelValues.get(i));
                text.append('"');
            }
            text.append('}');
        }
        text.append(' ').append(number(value)).append('\n');
        return this;
    }

    public PrometheusText sample(String name, double value) {
        return sample(name, List.of(), List.of(), value);
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
    }

    static String number(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

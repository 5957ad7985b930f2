package io.sendonly.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A counter family: one count per combination of label values, made on first use. */
public final class Counters {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

    public Counters(String name, String help, String... labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = List.of(labelNames);
    }

    /** @param labelValues one per label name, in their order */
    public void increment(String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + ": " + labelNames.size() + " label values expected, got " + labelValues.length);
        }
        counts.computeIfAbsent(Arrays.asList(labelValues), key -> new LongAdder()).increment();
    }

    public long count(String... labelValues) {
        LongAdder count = counts.get(Arrays.asList(labelValues));
        return count == null ? 0 : count.sum();
    }

    /** An unlabelled family always shows its sample, 0 included, so that rate() sees the first increment. */
    void writeTo(PrometheusText page) {
        page.family(name, help, "counter");
        if (labelNames.isEmpty()) {
            page.sample(name, count());
            return;
        }
        counts.entrySet().stream()
            .sorted(Map.Entry.comparingByKey((a, b) -> String.join("\0", a).compareTo(String.join("\0", b))))
            .forEach(entry -> page.sample(name, labelNames, entry.getKey(), entry.getValue().sum()));
    }
}

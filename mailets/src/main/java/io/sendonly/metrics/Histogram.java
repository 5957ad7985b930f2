package io.sendonly.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * An unlabelled histogram: counts per bucket kept apart, made cumulative when written, as the format wants; the
 * count is the {@code +Inf} bucket's, so the two agree within a scrape.
 */
public final class Histogram {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final LongAdder[] buckets;
    private final DoubleAdder sum = new DoubleAdder();

    /** @param bounds the buckets' upper bounds, ascending; {@code +Inf} is added */
    public Histogram(String name, String help, double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException(name + ": bucket bounds must ascend: " + Arrays.toString(bounds));
            }
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length + 1];
        Arrays.setAll(buckets, i -> new LongAdder());
    }

    public void observe(double value) {
        int bucket = Arrays.binarySearch(bounds, value);
        buckets[bucket >= 0 ? bucket : -bucket - 1].increment();
        sum.add(value);
    }

    void writeTo(PrometheusText page) {
        page.family(name, help, "histogram");
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += buckets[i].sum();
            double bound = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
            page.sample(name + "_bucket", List.of("le"), List.of(PrometheusText.number(bound)), cumulative);
        }
        page.sample(name + "_sum", sum.sum());
        page.sample(name + "_count", cumulative);
    }
}

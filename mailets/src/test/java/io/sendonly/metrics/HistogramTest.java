package io.sendonly.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void writeToShouldCumulateBucketsEndWithPlusInfAndGiveSumAndCount() {
        Histogram histogram = new Histogram("d_seconds", "Delay.", 1, 5);
        histogram.observe(0.5);
        histogram.observe(1);
        histogram.observe(3);
        histogram.observe(100);
        PrometheusText page = new PrometheusText();

        histogram.writeTo(page);

        assertThat(page.toString()).isEqualTo("""
            # HELP d_seconds Delay.
            # TYPE d_seconds histogram
            d_seconds_bucket{le="1"} 2
            d_seconds_bucket{le="5"} 3
            d_seconds_bucket{le="+Inf"} 4
            d_seconds_sum 104.5
            d_seconds_count 4
            """);
    }

    @Test
    void writeToShouldShowZeroBucketsWhenNothingWasObserved() {
        PrometheusText page = new PrometheusText();

        new Histogram("d_seconds", "Delay.", 1).writeTo(page);

        assertThat(page.toString()).contains("d_seconds_bucket{le=\"1\"} 0\n", "d_seconds_bucket{le=\"+Inf\"} 0\n",
            "d_seconds_sum 0\n", "d_seconds_count 0\n");
    }

    @Test
    void constructorShouldRefuseBoundsThatDoNotAscend() {
        assertThatThrownBy(() -> new Histogram("d_seconds", "Delay.", 5, 1)).hasMessageContaining("d_seconds");
    }
}

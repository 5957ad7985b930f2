package io.sendonly.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void sampleShouldEscapeBackslashQuoteAndNewlineInLabelValues() {
        String page = new PrometheusText().sample("m_total", List.of("route"), List.of("a\\b \"c\"\nd"), 1).toString();

        assertThat(page).isEqualTo("m_total{route=\"a\\\\b \\\"c\\\"\\nd\"} 1\n");
    }

    @Test
    void familyShouldWriteHelpThenType() {
        String page = new PrometheusText().family("m_total", "Things.\nMore", "counter").toString();

        assertThat(page).isEqualTo("# HELP m_total Things.\\nMore\n# TYPE m_total counter\n");
    }

    @Test
    void sampleShouldWriteLabelsInOrderSeparatedByCommas() {
        String page = new PrometheusText().sample("m", List.of("a", "b"), List.of("1", "2"), 2.5).toString();

        assertThat(page).isEqualTo("m{a=\"1\",b=\"2\"} 2.5\n");
    }

    @Test
    void numberShouldWriteWholeValuesWithoutFractionAndInfinityAsPlusInf() {
        assertThat(PrometheusText.number(3)).isEqualTo("3");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }
}

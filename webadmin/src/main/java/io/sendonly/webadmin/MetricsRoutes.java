package io.sendonly.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;

import io.sendonly.metrics.DeliveryMetrics;
import io.sendonly.metrics.PrometheusText;
import io.sendonly.metrics.QueueGauges;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /metrics}: the send-only counters and queue gauges in the Prometheus text format 0.0.4, behind the
 * operator token like every route but {@code /healthcheck} (Prometheus: {@code authorization: {credentials_file: ...}}).
 * James's own dropwizard {@code /metrics} route (a public one) is not installed in our server; in a stock James
 * that lists it in {@code extensions.routes}, keep one of the two.
 */
public class MetricsRoutes implements Routes {
    public static final String BASE_PATH = "/metrics";

    private final DeliveryMetrics metrics;
    private final QueueGauges queues;

    @Inject
    public MetricsRoutes(DeliveryMetrics metrics, QueueGauges queues) {
        this.metrics = metrics;
        this.queues = queues;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::page);
    }

    private String page(Request request, Response response) {
        PrometheusText page = new PrometheusText();
        metrics.writeTo(page);
        queues.writeTo(page);
        response.type(PrometheusText.CONTENT_TYPE);
        return page.toString();
    }
}

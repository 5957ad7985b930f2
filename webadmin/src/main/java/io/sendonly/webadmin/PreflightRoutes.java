package io.sendonly.webadmin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;

import io.sendonly.config.Domains;
import io.sendonly.preflight.Check;
import io.sendonly.preflight.Checklist;
import io.sendonly.preflight.DomainReport;
import io.sendonly.preflight.Report;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /sendonly/preflight[?domain=DOMAIN]}: the sender-authentication preflight ({@link ConfiguredPreflight})
 * of every sending domain, or of one (404 when it is neither the default domain nor signed by the SigningTable):
 * per domain and check a status ({@code pass}, {@code info}, {@code warn}, {@code fail}), a sentence and the DNS
 * record to publish, then the Gmail/Yahoo checklist. It queries DNS, so it takes up to seconds.
 */
public class PreflightRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/preflight";

    public record CheckDto(String name, String status, String detail, Optional<String> record) {
    }

    public record DomainDto(String domain, String status, List<CheckDto> checks) {
    }

    public record ChecklistDto(String rule, String appliesTo, String status, String detail) {
    }

    /** @param failed whether any check failed */
    public record ReportDto(boolean failed, List<DomainDto> domains, List<ChecklistDto> checklist) {
    }

    private final ConfiguredPreflight preflight;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public PreflightRoutes(ConfiguredPreflight preflight) {
        this.preflight = preflight;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::report, json);
    }

    private ReportDto report(Request request, Response response) throws IOException {
        Optional<String> domain = Optional.ofNullable(request.queryParams("domain")).map(String::trim);
        if (domain.isEmpty()) {
            return dto(preflight.run());
        }
        String checked = Answers.checked(() -> Domains.domain("domain", domain.get()));
        return dto(preflight.run(checked).orElseThrow(() -> Answers.notFound("domain: '" + checked
            + "' is not a sending domain: neither the default domain nor signed by the SigningTable")));
    }

    private static ReportDto dto(Report report) {
        return new ReportDto(report.failed(), report.domains().stream().map(PreflightRoutes::dto).toList(),
            report.checklist().stream().map(PreflightRoutes::dto).toList());
    }

    private static DomainDto dto(DomainReport domain) {
        return new DomainDto(domain.domain(), domain.worst().label(), domain.checks().stream().map(PreflightRoutes::dto).toList());
    }

    private static CheckDto dto(Check check) {
        return new CheckDto(check.name(), check.status().label(), check.detail(), check.record());
    }

    private static ChecklistDto dto(Checklist.Item item) {
        return new ChecklistDto(item.rule(), item.appliesTo(), item.status().label(), item.detail());
    }
}

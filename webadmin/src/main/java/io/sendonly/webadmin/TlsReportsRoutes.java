package io.sendonly.webadmin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.tls.rpt.FailureDetail;
import io.sendonly.tls.rpt.PolicyCounts;
import io.sendonly.tlsrpt.TlsReports;
import spark.Request;
import spark.Service;

/**
 * TLS-RPT (see {@link TlsReports}), for {@code bin/sendonly tls-reports}:
 * <ul>
 *   <li>{@code GET /sendonly/tls-reports}: today's counts (UTC) per policy domain and policy;</li>
 *   <li>{@code POST /sendonly/tls-reports}: sends now the reports of the days that ended and were not reported, and
 *       answers what each became (where it went, or why nowhere); 409 when TLS-RPT is disabled in events.xml.</li>
 * </ul>
 */
public class TlsReportsRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/tls-reports";
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsReportsRoutes.class);

    public record Today(boolean enabled, String day, List<DomainDto> domains) {
    }

    public record DomainDto(String domain, long successful, long failed, List<PolicyDto> policies) {
        static DomainDto of(String domain, List<PolicyCounts> policies) {
            List<PolicyDto> dtos = policies.stream().map(PolicyDto::of).toList();
            return new DomainDto(domain, dtos.stream().mapToLong(PolicyDto::successful).sum(), dtos.stream().mapToLong(PolicyDto::failed).sum(),
                dtos);
        }
    }

    public record PolicyDto(String policyType, List<String> mxHost, long successful, long failed, List<FailureDetailDto> failures) {
        static PolicyDto of(PolicyCounts counts) {
            return new PolicyDto(counts.policy().type().rfcName(), counts.policy().mxHosts(), counts.successes(), counts.failureCount(),
                counts.failures().stream().map(FailureDetailDto::of).toList());
        }
    }

    public record FailureDetailDto(String resultType, String receivingMxHostname, String receivingIp, long sessions, String reason) {
        static FailureDetailDto of(FailureDetail detail) {
            return new FailureDetailDto(detail.type().rfcName(), detail.receivingMxHostname(), detail.receivingIp(), detail.sessions(),
                detail.reason());
        }
    }

    private final TlsReports reports;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TlsReportsRoutes(TlsReports reports) {
        this.reports = reports;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> today(), json);
        service.post(BASE_PATH, (request, response) -> send(request), json);
    }

    private Today today() {
        Map<String, List<PolicyCounts>> counts = reports.today();
        return new Today(reports.settings().enabled(), reports.day().toString(),
            counts.entrySet().stream().map(entry -> DomainDto.of(entry.getKey(), entry.getValue())).toList());
    }

    private List<TlsReports.Outcome> send(Request request) throws IOException {
        if (!reports.settings().enabled()) {
            throw Answers.conflict("TLS-RPT is disabled (events.xml <tlsrpt enabled=\"false\">)");
        }
        List<TlsReports.Outcome> outcomes = reports.sendEnded();
        LOGGER.info("webadmin: {} sent the TLS reports of the days that ended: {} report(s)", Answers.who(request), outcomes.size());
        return outcomes;
    }
}

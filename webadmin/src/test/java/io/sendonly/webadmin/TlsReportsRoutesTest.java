package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.server.testing.SettableClock;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TlsResult;
import io.sendonly.tlsrpt.TlsReports;
import io.sendonly.tlsrpt.TlsRptSettings;

class TlsReportsRoutesTest {
    private static final String PATH = TlsReportsRoutes.BASE_PATH;
    private static final Map<String, List<String>> ZONE = Map.of("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"));

    @TempDir
    Path directory;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final FakeMailContext mailetContext = FakeMailContext.defaultContext();
    private RoutesServer server;

    private TlsReports reports(TlsRptSettings settings) throws Exception {
        TlsReports reports = new TlsReports(settings, "mail.sender.test", directory.resolve("counts"),
            name -> ZONE.getOrDefault(name, List.of()), mailetContext, () -> postmaster(), HttpClient.newHttpClient(), clock);
        server = RoutesServer.start(new TlsReportsRoutes(reports));
        return reports;
    }

    private static MailAddress postmaster() {
        try {
            return new MailAddress("postmaster@sender.test");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static void deliver(TlsReports reports, Optional<TlsFailure> failure) {
        reports.results().record(new TlsResult("example.com", PolicyType.NO_POLICY_FOUND, List.of(), "mx.example.com", "192.0.2.7", failure));
    }

    @Test
    void getShouldAnswerTodaysCountsPerDomain() throws Exception {
        TlsReports reports = reports(TlsRptSettings.DEFAULTS);
        deliver(reports, Optional.empty());
        deliver(reports, Optional.of(new TlsFailure(ResultType.STARTTLS_NOT_SUPPORTED, "no STARTTLS")));

        JsonNode today = new ObjectMapper().readTree(server.get(PATH).body());

        assertThat(today.path("enabled").asBoolean()).isTrue();
        assertThat(today.path("day").asText()).isEqualTo("2026-11-30");
        JsonNode domain = today.path("domains").get(0);
        assertThat(domain.path("domain").asText()).isEqualTo("example.com");
        assertThat(domain.path("successful").asLong()).isEqualTo(1);
        assertThat(domain.path("failed").asLong()).isEqualTo(1);
        JsonNode policy = domain.path("policies").get(0);
        assertThat(policy.path("policyType").asText()).isEqualTo("no-policy-found");
        assertThat(policy.path("failures").get(0).path("resultType").asText()).isEqualTo("starttls-not-supported");
    }

    @Test
    void postShouldSendTheEndedDaysOnceAndSayWhere() throws Exception {
        TlsReports reports = reports(TlsRptSettings.DEFAULTS);
        deliver(reports, Optional.empty());
        clock.advance(Duration.ofDays(1));

        HttpResponse<String> sent = server.post(PATH, "");

        assertThat(sent.statusCode()).isEqualTo(200);
        JsonNode outcome = new ObjectMapper().readTree(sent.body()).get(0);
        assertThat(outcome.path("day").asText()).isEqualTo("2026-11-30");
        assertThat(outcome.path("domain").asText()).isEqualTo("example.com");
        assertThat(outcome.path("sentTo").get(0).asText()).isEqualTo("mailto:tlsrpt@example.com");
        assertThat(mailetContext.getSentMails()).hasSize(1);
        assertThat(server.post(PATH, "").body()).isEqualTo("[]");
    }

    @Test
    void postShouldAnswer409WhenDisabled() throws Exception {
        reports(new TlsRptSettings(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            TlsRptSettings.DEFAULTS.sendAt()));

        HttpResponse<String> refused = server.post(PATH, "");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("disabled");
    }
}

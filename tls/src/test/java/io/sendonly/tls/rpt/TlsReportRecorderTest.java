package io.sendonly.tls.rpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.SettableClock;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TlsResult;

class TlsReportRecorderTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-30");
    private static final List<String> STS_POLICY = List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com",
        "mx: *.example.net", "max_age: 86400");

    @TempDir
    Path directory;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));

    private Path file() {
        return directory.resolve("tls-rpt").resolve("counts");
    }

    private static TlsResult success(String domain, String mx) {
        return new TlsResult(domain, PolicyType.STS, STS_POLICY, mx, "192.0.2.1", Optional.empty());
    }

    private static TlsResult failure(String domain, String mx, String ip, ResultType type, String reason) {
        return new TlsResult(domain, PolicyType.NO_POLICY_FOUND, List.of(), mx, ip, Optional.of(new TlsFailure(type, reason)));
    }

    @Test
    void countsShouldAddSuccessesAndGroupFailuresByTypeAndHost() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);

        recorder.record(success("Example.COM.", "mx1.example.com"));
        recorder.record(success("example.com", "mx1.example.com"));
        recorder.record(failure("example.com", "mx2.example.com", "192.0.2.2", ResultType.STARTTLS_NOT_SUPPORTED, "no STARTTLS"));
        recorder.record(failure("example.com", "mx2.example.com", "192.0.2.2", ResultType.STARTTLS_NOT_SUPPORTED, "later"));
        recorder.record(failure("example.com", "mx2.example.com", "192.0.2.3", ResultType.STARTTLS_NOT_SUPPORTED, "other ip"));

        List<PolicyCounts> counts = recorder.counts(DAY).get("example.com");
        assertThat(counts).hasSize(2);
        PolicyCounts none = counts.stream().filter(policy -> policy.policy().type() == PolicyType.NO_POLICY_FOUND).findFirst().orElseThrow();
        assertThat(none.successes()).isZero();
        assertThat(none.failures()).containsExactly(
            new FailureDetail(ResultType.STARTTLS_NOT_SUPPORTED, "mx2.example.com", "192.0.2.2", 2, "no STARTTLS"),
            new FailureDetail(ResultType.STARTTLS_NOT_SUPPORTED, "mx2.example.com", "192.0.2.3", 1, "other ip"));
        assertThat(none.failureCount()).isEqualTo(3);
        PolicyCounts sts = counts.stream().filter(policy -> policy.policy().type() == PolicyType.STS).findFirst().orElseThrow();
        assertThat(sts.successes()).isEqualTo(2);
        assertThat(sts.policy().mxHosts()).containsExactly("mx1.example.com", "*.example.net");
    }

    @Test
    void countsShouldKeepEachTlsaHostAsItsOwnPolicy() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        List<String> tlsa = List.of("3 1 1 abcdef");

        recorder.record(new TlsResult("example.com", PolicyType.TLSA, tlsa, "mx1.example.com.", "192.0.2.1", Optional.empty()));
        recorder.record(new TlsResult("example.com", PolicyType.TLSA, tlsa, "mx2.example.com", "192.0.2.2", Optional.empty()));

        assertThat(recorder.counts(DAY).get("example.com")).extracting(policy -> policy.policy().mxHosts())
            .containsExactlyInAnyOrder(List.of("mx1.example.com"), List.of("mx2.example.com"));
    }

    @Test
    void recordShouldCountByUtcDay() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        recorder.record(success("example.com", "mx1.example.com"));
        clock.advance(Duration.ofHours(14));
        recorder.record(success("example.com", "mx1.example.com"));

        assertThat(recorder.endedDays()).containsExactly(DAY);
        assertThat(recorder.counts(DAY).get("example.com").get(0).successes()).isEqualTo(1);
        assertThat(recorder.counts(DAY.plusDays(1)).get("example.com").get(0).successes()).isEqualTo(1);
    }

    @Test
    void openShouldReadBackWhatFlushWrote() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        recorder.record(success("example.com", "mx1.example.com"));
        recorder.record(failure("example.org", "mx 1\t\"odd\"", "", ResultType.CERTIFICATE_HOST_MISMATCH, "name, with ~ and %"));
        recorder.flush();

        TlsReportRecorder reopened = TlsReportRecorder.open(file(), clock);

        assertThat(reopened.counts(DAY)).isEqualTo(recorder.counts(DAY));
        assertThat(reopened.counts(DAY)).containsOnlyKeys("example.com", "example.org");
    }

    @Test
    void flushShouldWriteAPrivateFileInAPrivateFolder() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        recorder.record(success("example.com", "mx1.example.com"));
        recorder.flush();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
    }

    @Test
    void forgetShouldDropOneDomainOfOneDayForGood() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        recorder.record(success("example.com", "mx1.example.com"));
        recorder.record(success("example.org", "mx1.example.org"));
        recorder.flush();

        recorder.forget(DAY, "example.com");
        recorder.flush();

        assertThat(TlsReportRecorder.open(file(), clock).counts(DAY)).containsOnlyKeys("example.org");
    }

    @Test
    void flushShouldNotRewriteUnchangedCounts() throws Exception {
        TlsReportRecorder recorder = TlsReportRecorder.open(file(), clock);
        recorder.record(success("example.com", "mx1.example.com"));
        recorder.flush();
        Files.delete(file());

        recorder.flush();

        assertThat(file()).doesNotExist();
    }

    @Test
    void openShouldNameFileAndLineOfABadLine() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "S 2026-11-30 example.com STS ~ ~ 3\nS 2026-11-30 example.com\n");

        assertThatThrownBy(() -> TlsReportRecorder.open(file(), clock))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(file() + ":2: ");
    }
}

package io.sendonly.tls.rpt;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import io.sendonly.config.TableFile;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.TlsResult;
import io.sendonly.tls.TlsResults;

/**
 * Counts each TLS negotiation for TLS-RPT (RFC 8460): per UTC day, per policy domain, per policy, the sessions that
 * succeeded and those that failed by result type and receiving host. {@link #record} only adds to memory under a
 * short lock, so delivery threads never wait for a disk; {@link #flush} writes the counts to one file (0600, its
 * folder 0700, replaced at once) and {@link #open} reads them back, so a restart loses at most what was recorded
 * since the last flush (the owner flushes every minute and at stop: a kill -9 loses up to a minute of counts).
 */
public final class TlsReportRecorder implements TlsResults {
    private static final String SUCCESS = "S";
    private static final String FAILURE = "F";
    private static final String EMPTY = "~";

    private final Path file;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private final Map<LocalDate, Map<PolicyKey, Tally>> days = new HashMap<>();
    /** Guarded by {@code this}: counts changed since the last flush. */
    private boolean dirty;
    /** Serialises flushes, so that an older snapshot never replaces a newer one. */
    private final Object flushing = new Object();

    private TlsReportRecorder(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * The recorder with the counts {@code file} holds (none when it does not exist).
     *
     * @throws IllegalArgumentException naming file and line when a line does not read
     */
    public static TlsReportRecorder open(Path file, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        TlsReportRecorder recorder = new TlsReportRecorder(file, clock);
        List<String> lines = TableFile.read(file);
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            try {
                recorder.replay(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        return recorder;
    }

    @Override
    public void record(TlsResult result) {
        PolicyKey policy = PolicyKey.of(result);
        LocalDate day = today();
        synchronized (this) {
            Tally tally = days.computeIfAbsent(day, any -> new HashMap<>()).computeIfAbsent(policy, any -> new Tally());
            result.failure().ifPresentOrElse(
                failure -> tally.fail(new FailureKey(failure.type(), PolicyKey.hostName(result.receivingMxHostname()),
                    result.receivingIp()), 1, failure.reason()),
                () -> tally.successes++);
            dirty = true;
        }
    }

    /** The days with counts that ended (UTC) before today, oldest first. */
    public synchronized List<LocalDate> endedDays() {
        LocalDate today = today();
        return new TreeSet<>(days.keySet()).stream().filter(day -> day.isBefore(today)).toList();
    }

    /** One day's counts by policy domain (sorted), each domain's policies in a stable order. */
    public synchronized Map<String, List<PolicyCounts>> counts(LocalDate day) {
        Map<String, List<PolicyCounts>> byDomain = new TreeMap<>();
        days.getOrDefault(day, Map.of()).entrySet().stream()
            .sorted(Comparator.comparing(entry -> entry.getKey().toString()))
            .forEach(entry -> byDomain.computeIfAbsent(entry.getKey().domain(), any -> new ArrayList<>())
                .add(entry.getValue().counts(entry.getKey())));
        return byDomain;
    }

    /** Drops one domain's counts of one day: its report went out, or will never go. Flush to make it last. */
    public synchronized void forget(LocalDate day, String domain) {
        Map<PolicyKey, Tally> policies = days.get(day);
        if (policies != null && policies.keySet().removeIf(policy -> policy.domain().equals(domain))) {
            dirty = true;
            if (policies.isEmpty()) {
                days.remove(day);
            }
        }
    }

    /** Writes the counts when they changed since the last flush. */
    public void flush() throws IOException {
        synchronized (flushing) {
            List<String> lines;
            synchronized (this) {
                if (!dirty) {
                    return;
                }
                lines = lines();
                dirty = false;
            }
            try {
                TableFile.write(file, lines);
            } catch (IOException e) {
                synchronized (this) {
                    dirty = true;
                }
                throw e;
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(days).forEach((day, policies) -> policies.forEach((policy, tally) -> {
            String prefix = String.join(" ", day.toString(), field(policy.domain()), policy.type().name(),
                list(policy.mxHosts()), list(policy.strings()));
            lines.add(String.join(" ", SUCCESS, prefix, Long.toString(tally.successes)));
            tally.failures.forEach((key, failure) -> lines.add(String.join(" ", FAILURE, prefix, key.type().name(),
                field(key.receivingMx()), field(key.receivingIp()), Long.toString(failure.count), field(failure.reason))));
        }));
        return lines;
    }

    private void replay(String line) {
        String[] fields = line.split(" ", -1);
        boolean success = fields[0].equals(SUCCESS);
        if (!(success && fields.length == 7) && !(fields[0].equals(FAILURE) && fields.length == 11)) {
            throw new IllegalArgumentException("expected 'S day domain type mx-hosts policy-strings successes' or "
                + "'F day domain type mx-hosts policy-strings result mx ip failures reason'");
        }
        LocalDate day = LocalDate.parse(fields[1]);
        PolicyKey policy = new PolicyKey(unfield(fields[2]), PolicyType.valueOf(fields[3]), unlist(fields[5]), unlist(fields[4]));
        Tally tally = days.computeIfAbsent(day, any -> new HashMap<>()).computeIfAbsent(policy, any -> new Tally());
        if (success) {
            tally.successes += count(fields[6]);
        } else {
            tally.fail(new FailureKey(ResultType.valueOf(fields[6]), unfield(fields[7]), unfield(fields[8])), count(fields[9]),
                unfield(fields[10]));
        }
    }

    private static long count(String value) {
        long count = Long.parseLong(value);
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + value);
        }
        return count;
    }

    private static String field(String value) {
        return value.isEmpty() ? EMPTY : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unfield(String value) {
        return value.equals(EMPTY) ? "" : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? EMPTY : String.join(",", values.stream().map(TlsReportRecorder::field).toList());
    }

    private static List<String> unlist(String value) {
        return value.equals(EMPTY) ? List.of() : Arrays.stream(value.split(",", -1)).map(TlsReportRecorder::unfield).toList();
    }

    private record FailureKey(ResultType type, String receivingMx, String receivingIp) {
    }

    private static final class Failures {
        long count;
        String reason;
    }

    /** One day's counts of one policy; guarded by the recorder. */
    private static final class Tally {
        long successes;
        final Map<FailureKey, Failures> failures = new LinkedHashMap<>();

        void fail(FailureKey key, long count, String reason) {
            Failures failure = failures.computeIfAbsent(key, any -> new Failures());
            failure.count += count;
            failure.reason = Objects.requireNonNullElse(failure.reason, reason);
        }

        PolicyCounts counts(PolicyKey policy) {
            return new PolicyCounts(policy, successes, failures.entrySet().stream()
                .map(entry -> new FailureDetail(entry.getKey().type(), entry.getKey().receivingMx(), entry.getKey().receivingIp(),
                    entry.getValue().count, entry.getValue().reason))
                .toList());
        }
    }
}

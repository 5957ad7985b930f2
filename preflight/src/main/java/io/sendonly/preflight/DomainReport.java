package io.sendonly.preflight;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The checks of one sending domain, in a fixed order. */
public record DomainReport(String domain, List<Check> checks) {
    public DomainReport {
        checks = List.copyOf(checks);
    }

    public Status worst() {
        return checks.stream().map(Check::status).reduce(Status.INFO, Status::worst);
    }

    /** How many checks answered each status, for the start-up log line. */
    public Map<Status, Long> counts() {
        Map<Status, Long> counts = new TreeMap<>();
        for (Status status : Status.values()) {
            counts.put(status, checks.stream().filter(check -> check.status() == status).count());
        }
        return counts;
    }

    public Status status(String check) {
        return checks.stream().filter(c -> c.name().equals(check)).map(Check::status).findFirst().orElse(Status.INFO);
    }
}

package io.sendonly.tls.rpt;

import java.util.List;

/** What one day saw of one policy: the sessions that succeeded and those that failed, grouped by failure. */
public record PolicyCounts(PolicyKey policy, long successes, List<FailureDetail> failures) {
    public PolicyCounts {
        failures = List.copyOf(failures);
    }

    public long failureCount() {
        return failures.stream().mapToLong(FailureDetail::sessions).sum();
    }
}

package io.sendonly.preflight;

import java.util.List;

/** The preflight of every sending domain, and the Gmail/Yahoo sender rules they meet or not. */
public record Report(List<DomainReport> domains, List<Checklist.Item> checklist) {
    public Report {
        domains = List.copyOf(domains);
        checklist = List.copyOf(checklist);
    }

    public boolean failed() {
        return domains.stream().anyMatch(domain -> domain.worst() == Status.FAIL);
    }
}

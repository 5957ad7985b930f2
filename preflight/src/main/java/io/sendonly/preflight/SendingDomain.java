package io.sendonly.preflight;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A domain we send mail for, with what its checks need to know.
 *
 * @param signingKey the key the SigningTable signs its mail with, if any
 * @param smartHosts the hosts its mail goes through (its {@code sender} route, else the {@code default} route of
 *                   conf/routes), empty when it is delivered direct to the recipients' MX
 */
public record SendingDomain(String domain, Optional<SigningKey> signingKey, List<String> smartHosts) {
    public SendingDomain {
        smartHosts = List.copyOf(smartHosts);
    }

    /** A KeyTable entry as it signs this domain's mail: {@code d=domain}, {@code s=selector}. */
    public record SigningKey(String name, String domain, String selector, Path keyFile) {
    }

    public boolean direct() {
        return smartHosts.isEmpty();
    }
}

package io.sendonly.preflight;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.sendonly.dkim.KeyTable;
import io.sendonly.dkim.SigningTable;

/**
 * Our sending domains: the domain of each SigningTable pattern ({@code *@example.com}, {@code example.com}) and the
 * default domain, each with the key that signs its mail and the smart hosts it goes through. A pattern with a
 * wildcard in its domain ({@code *@*.example.com}) names no domain: its subdomains can be checked one by one.
 */
public final class SendingDomains {
    private final KeyTable keys;
    private final SigningTable signing;
    private final Path keyFolder;
    private final String defaultDomain;
    private final Function<String, List<String>> smartHosts;

    /**
     * @param keyFolder the KeyTable's folder, to which its key paths are relative
     * @param smartHosts a sending domain's smart hosts, empty for direct delivery
     */
    public SendingDomains(KeyTable keys, SigningTable signing, Path keyFolder, String defaultDomain,
                          Function<String, List<String>> smartHosts) {
        this.keys = keys;
        this.signing = signing;
        this.keyFolder = keyFolder;
        this.defaultDomain = defaultDomain.toLowerCase(Locale.ROOT);
        this.smartHosts = smartHosts;
    }

    public List<SendingDomain> all() {
        Set<String> domains = new LinkedHashSet<>();
        for (String pattern : signing.patterns()) {
            String domain = pattern.substring(pattern.lastIndexOf('@') + 1);
            if (!domain.contains("*") && !domain.isEmpty()) {
                domains.add(domain);
            }
        }
        domains.add(defaultDomain);
        return domains.stream().map(this::of).toList();
    }

    /** The domain, when it is a sending domain: the default domain, or one the SigningTable signs mail of. */
    public Optional<SendingDomain> find(String domain) {
        String normalized = domain.toLowerCase(Locale.ROOT);
        return normalized.equals(defaultDomain) || !signing.lookup(postmaster(normalized)).isEmpty()
            ? Optional.of(of(normalized)) : Optional.empty();
    }

    private SendingDomain of(String domain) {
        Optional<SendingDomain.SigningKey> key = signing.lookup(postmaster(domain)).stream().findFirst()
            .flatMap(keys::get)
            .map(entry -> new SendingDomain.SigningKey(entry.name(), entry.domainFor(domain), entry.selector(),
                keyFolder.resolve(entry.keyPath()).normalize()));
        return new SendingDomain(domain, key, smartHosts.apply(domain));
    }

    private static String postmaster(String domain) {
        return "postmaster@" + domain;
    }
}

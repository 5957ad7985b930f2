package io.sendonly.preflight;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

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
        return names().stream().map(this::of).toList();
    }

    /** The domain, when it is a sending domain: the default domain, or one the SigningTable signs mail of. */
    public Optional<SendingDomain> find(String domain) {
        String normalized = domain.toLowerCase(Locale.ROOT);
        return names().contains(normalized) || keyName(normalized).isPresent() ? Optional.of(of(normalized)) : Optional.empty();
    }

    private Set<String> names() {
        Set<String> domains = new LinkedHashSet<>();
        for (String pattern : signing.patterns()) {
            String domain = domainOf(pattern);
            if (!domain.contains("*") && !domain.isEmpty()) {
                domains.add(domain);
            }
        }
        domains.add(defaultDomain);
        return domains;
    }

    private SendingDomain of(String domain) {
        Optional<SendingDomain.SigningKey> key = keyName(domain).flatMap(keys::get)
            .map(entry -> new SendingDomain.SigningKey(entry.name(), entry.domainFor(domain), entry.selector(),
                keyFolder.resolve(entry.keyPath()).normalize()));
        return new SendingDomain(domain, key, smartHosts.apply(domain));
    }

    /**
     * The key that signs mail from postmaster@DOMAIN, else from the first address of the domain a pattern names
     * ({@code billing@example.com}): a domain whose mail only some senders sign is checked with their key.
     */
    private Optional<String> keyName(String domain) {
        Stream<String> addresses = Stream.concat(Stream.of("postmaster@" + domain), signing.patterns().stream()
            .filter(pattern -> domainOf(pattern).equals(domain))
            .map(pattern -> pattern.contains("@") ? pattern.replace("*", "postmaster") : "postmaster@" + pattern));
        return addresses.map(signing::lookup).filter(names -> !names.isEmpty()).map(names -> names.get(0)).findFirst();
    }

    private static String domainOf(String pattern) {
        return pattern.substring(pattern.lastIndexOf('@') + 1);
    }
}

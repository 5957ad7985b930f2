package io.sendonly.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DANE's DNS answers as a DNSSEC-validating resolver vouches for them, the way Postfix trusts its resolver: queries
 * go out with the DO bit (and AD) set, and an answer is secure only when the resolver sets AD on it. No validation
 * happens here, so the resolver must validate and be reached over a path nobody can tamper with: on loopback (a
 * local unbound) or a trusted network. A bogus answer is what a validating resolver answers SERVFAIL for.
 *
 * <p>CNAMEs: the resolver follows them and returns the chain with the target's records; the records of the asked type
 * are used wherever the chain ends, and the AD bit covers the whole answer. What RFC 7672 2.2.2 adds beyond that (the
 * TLSA base domain becoming the CNAME-expanded MX host name, tried before the original) is not done.
 *
 * <p>Answers are cached for their TTL (negative ones for the SOA's minimum), at most a day; failures are not cached.
 */
public final class ResolverDaneRecords implements DaneRecords {
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    /** Literals only, so that parsing never asks DNS: an IPv4 address, or an IPv6 one in brackets; then :port. */
    private static final Pattern ADDRESS = Pattern.compile("\\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)](?::(\\d{1,5}))?|("
        + OCTET + "(?:\\." + OCTET + "){3})(?::(\\d{1,5}))?");
    private static final int DNS_PORT = 53;
    private static final Duration MAX_TTL = Duration.ofDays(1);
    private static final Duration NEGATIVE_TTL_WITHOUT_SOA = Duration.ofMinutes(1);
    /** Beyond this many cached answers, the expired ones are dropped, then all when none is. */
    private static final int CACHE_LIMIT = 10_000;

    private final Resolver resolver;
    private final Clock clock;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    /** @param resolver queries the validating resolver (the DO bit is set here) */
    public ResolverDaneRecords(Resolver resolver, Clock clock) {
        this.resolver = resolver;
        this.resolver.setEDNS(0, 0, ExtendedFlags.DO, List.of());
        this.clock = clock;
    }

    /** The validating resolver at {@code address} ({@link #parseAddress}). */
    public static ResolverDaneRecords using(InetSocketAddress address, Duration timeout, Clock clock) {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTimeout(timeout);
        return new ResolverDaneRecords(resolver, clock);
    }

    /**
     * {@code ip[:port]} or {@code [ipv6][:port]}, port 53 by default: an IP address literal, as a resolver named by a
     * host name would need DNS to be found.
     *
     * @throws IllegalArgumentException naming the value and what is expected
     */
    public static InetSocketAddress parseAddress(String address) {
        Matcher matcher = ADDRESS.matcher(address.trim());
        if (matcher.matches()) {
            String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
            String port = matcher.group(1) != null ? matcher.group(2) : matcher.group(4);
            int number = port == null ? DNS_PORT : Integer.parseInt(port);
            if (number > 0 && number < 65536) {
                try {
                    return new InetSocketAddress(InetAddress.getByName(host), number);
                } catch (UnknownHostException e) {
                    // an IPv6 literal the pattern let through but the JDK refuses ([1:::2]): reported below
                }
            }
        }
        throw new IllegalArgumentException("'" + address + "': expected the validating resolver's IP address,"
            + " with :port when not 53, e.g. 127.0.0.1 or [::1]:5353");
    }

    @Override
    public boolean mxSecure(String domain) {
        Answer mx = query(domain, Type.MX);
        if (mx.has(Type.MX)) {
            return mx.secure();
        }
        if (mx.rcode() != Rcode.NOERROR) {
            return false;
        }
        Answer a = query(domain, Type.A);
        Answer address = a.has(Type.A) ? a : query(domain, Type.AAAA);
        return (address.has(Type.A) || address.has(Type.AAAA)) && address.secure();
    }

    @Override
    public TlsaLookup tlsa(String host, int port) {
        String name = "_" + port + "._tcp." + host;
        Answer answer = query(name, Type.TLSA);
        if (answer.failure() != null) {
            return new TlsaLookup.Failed(new TlsFailure(ResultType.DNSSEC_INVALID, "the TLSA lookup of " + name
                + " failed: " + answer.failure()));
        }
        if (!answer.secure() || !answer.has(Type.TLSA)) {
            return new TlsaLookup.Unusable();
        }
        List<TLSARecord> records = answer.records().stream().filter(TLSARecord.class::isInstance)
            .map(TLSARecord.class::cast).toList();
        List<TlsaLookup.Tlsa> usable = records.stream().filter(ResolverDaneRecords::usable)
            .map(record -> new TlsaLookup.Tlsa(record.getCertificateUsage(), record.getSelector(),
                record.getMatchingType(), record.getCertificateAssociationData()))
            .toList();
        List<String> presentation = records.stream().map(Record::rdataToString).toList();
        if (!usable.isEmpty()) {
            return new TlsaLookup.Usable(usable, presentation);
        }
        if (records.stream().anyMatch(ResolverDaneRecords::daneUsage)) {
            return new TlsaLookup.Failed(new TlsFailure(ResultType.TLSA_INVALID, "none of the TLSA records of " + name
                + " is usable (unknown selector or matching type, or data of the wrong length): " + presentation));
        }
        return new TlsaLookup.Unusable();
    }

    /** RFC 7672 3.1.3: only DANE-TA(2) and DANE-EE(3) apply to SMTP. */
    private static boolean daneUsage(TLSARecord record) {
        return record.getCertificateUsage() == 2 || record.getCertificateUsage() == 3;
    }

    private static boolean usable(TLSARecord record) {
        int length = record.getCertificateAssociationData().length;
        boolean data = switch (record.getMatchingType()) {
            case 0 -> length > 0;
            case 1 -> length == 32;
            case 2 -> length == 64;
            default -> false;
        };
        return daneUsage(record) && (record.getSelector() == 0 || record.getSelector() == 1) && data;
    }

    private Answer query(String name, int type) {
        String key = name.toLowerCase(Locale.ROOT) + "/" + Type.string(type);
        Instant now = clock.instant();
        Answer cached = cache.get(key);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached;
        }
        Answer answer = ask(name, type, now);
        if (answer.failure() == null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.values().removeIf(old -> !old.expires().isAfter(now));
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
            }
            cache.put(key, answer);
        } else {
            cache.remove(key);
        }
        return answer;
    }

    private Answer ask(String name, int type, Instant now) {
        Message response;
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            query.getHeader().setFlag(Flags.AD);
            response = resolver.send(query);
        } catch (TextParseException e) {
            return Answer.failed("'" + name + "' is not a domain name");
        } catch (IOException e) {
            return Answer.failed("no answer from the validating resolver: " + e.getMessage());
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return Answer.failed("the validating resolver answered " + Rcode.string(rcode)
                + (rcode == Rcode.SERVFAIL ? " (a bogus DNSSEC answer, or it could not resolve)" : ""));
        }
        List<Record> records = response.getSection(Section.ANSWER).stream().filter(record -> record.getType() == type)
            .toList();
        Duration ttl = records.isEmpty() ? negativeTtl(response)
            : Duration.ofSeconds(records.stream().mapToLong(Record::getTTL).min().orElse(0));
        return new Answer(rcode, response.getHeader().getFlag(Flags.AD), records,
            now.plus(ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl), null);
    }

    /** RFC 2308 section 5: the lesser of the SOA's TTL and its minimum field. */
    private static Duration negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream().filter(SOARecord.class::isInstance)
            .map(SOARecord.class::cast).findFirst()
            .map(soa -> Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum())))
            .orElse(NEGATIVE_TTL_WITHOUT_SOA);
    }

    /** @param failure why there is no answer; null when there is one */
    private record Answer(int rcode, boolean secure, List<Record> records, Instant expires, String failure) {
        static Answer failed(String failure) {
            return new Answer(Rcode.SERVFAIL, false, List.of(), Instant.MIN, failure);
        }

        boolean has(int type) {
            return records.stream().anyMatch(record -> record.getType() == type);
        }
    }
}

package io.sendonly.tls.sts;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS side of MTA-STS through one resolver (the servers delivery resolves MX hosts with), its answers cached for
 * their TTL: the {@code _mta-sts} TXT records, and the addresses of the policy host.
 */
final class PolicyDns {
    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    PolicyDns(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The TXT records of {@code _mta-sts.DOMAIN}, each its strings joined; none when the name has none or fails. */
    List<String> txt(String domain) {
        List<String> texts = new ArrayList<>();
        for (Record record : lookup("_mta-sts." + domain, Type.TXT)) {
            texts.add(String.join("", ((TXTRecord) record).getStrings()));
        }
        return texts;
    }

    /** The IPv4 then IPv6 addresses of {@code host}. */
    List<InetAddress> addresses(String host) {
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : lookup(host, Type.A)) {
            addresses.add(((ARecord) record).getAddress());
        }
        for (Record record : lookup(host, Type.AAAA)) {
            addresses.add(((AAAARecord) record).getAddress());
        }
        return addresses;
    }

    private List<Record> lookup(String name, int type) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name, Name.root), type, DClass.IN);
        } catch (TextParseException e) {
            return List.of();
        }
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        Record[] records = lookup.run();
        return records == null ? List.of() : List.of(records);
    }
}

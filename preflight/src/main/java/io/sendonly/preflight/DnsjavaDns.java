package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link Dns} through dnsjava, asking the given resolver (the servers of James's dnsservice.xml), with no cache between runs. */
public final class DnsjavaDns implements Dns {
    private final Resolver resolver;

    public DnsjavaDns(Resolver resolver) {
        this.resolver = resolver;
    }

    public Resolver resolver() {
        return resolver;
    }

    @Override
    public List<String> txt(String name) throws DnsFailure {
        return lookup(name(name), Type.TXT).stream().map(record -> String.join("", ((TXTRecord) record).getStrings())).toList();
    }

    @Override
    public List<InetAddress> addresses(String name) throws DnsFailure {
        List<InetAddress> addresses = new ArrayList<>();
        lookup(name(name), Type.A).forEach(record -> addresses.add(((ARecord) record).getAddress()));
        lookup(name(name), Type.AAAA).forEach(record -> addresses.add(((AAAARecord) record).getAddress()));
        return addresses;
    }

    @Override
    public List<String> names(InetAddress address) throws DnsFailure {
        return lookup(ReverseMap.fromAddress(address), Type.PTR).stream()
            .map(record -> ((PTRRecord) record).getTarget().toString(true)).toList();
    }

    private List<Record> lookup(Name name, int type) throws DnsFailure {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        // A temporary cache: a record the operator just fixed shows at the next run.
        lookup.setCache(null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> List.of(records);
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> List.of();
            default -> throw new DnsFailure(name + " " + Type.string(type) + ": " + lookup.getErrorString());
        };
    }

    private static Name name(String name) throws DnsFailure {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new DnsFailure("'" + name + "' is not a DNS name: " + e.getMessage());
        }
    }
}

package io.sendonly.webadmin;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.dnsservice.api.DNSService;

/** A DNS that knows TXT records only, those a test publishes; the DKIM DNS check asks for nothing else. */
final class TxtRecords implements DNSService {
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();

    void publish(String name, String... texts) {
        records.put(name, List.of(texts));
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return records.getOrDefault(hostname, List.of());
    }

    @Override
    public Collection<String> findMXRecords(String hostname) {
        throw new UnsupportedOperationException("TXT records only");
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) {
        throw new UnsupportedOperationException("TXT records only");
    }

    @Override
    public InetAddress getByName(String host) {
        throw new UnsupportedOperationException("TXT records only");
    }

    @Override
    public InetAddress getLocalHost() {
        throw new UnsupportedOperationException("TXT records only");
    }

    @Override
    public String getHostName(InetAddress addr) {
        throw new UnsupportedOperationException("TXT records only");
    }
}

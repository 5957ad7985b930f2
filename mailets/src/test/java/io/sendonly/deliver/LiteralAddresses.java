package io.sendonly.deliver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;

/** DNS for IP literals only, without MX records: delivery tests name their peer by address (or override the lookups). */
class LiteralAddresses implements DNSService {
    @Override
    public Collection<String> findMXRecords(String hostname) {
        return List.of();
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return List.of();
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
        return List.of(InetAddress.getByName(host));
    }

    @Override
    public InetAddress getByName(String host) throws UnknownHostException {
        return InetAddress.getByName(host);
    }

    @Override
    public InetAddress getLocalHost() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String getHostName(InetAddress address) {
        return address.getHostAddress();
    }
}

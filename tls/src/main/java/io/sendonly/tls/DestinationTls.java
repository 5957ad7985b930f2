package io.sendonly.tls;

/** The TLS policy of one destination, looked up once per delivery attempt: what each of its hosts must give. */
@FunctionalInterface
public interface DestinationTls {
    /** @param hostName the MX host or smart host, as found in DNS or written in the route */
    HostTls forHost(String hostName);
}

package io.sendonly.tls;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.sendonly.dkim.DebianTools;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Unbound;

/**
 * The zones the DANE tests resolve, served by unbound on a loopback address: {@code dane.test} signed (MX, TLSA of
 * each kind, a CNAME to TLSA records, a TLSA RRset whose signature is spoiled) and {@code plain.test} unsigned. Needs
 * root, unbound and ldnsutils. As a static {@code @RegisterExtension}, one unbound for the test class.
 */
final class DaneTestZones implements BeforeAllCallback, AfterAllCallback {
    static final String KEY_HASH = "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final String address;
    private Unbound unbound;

    DaneTestZones(String address) {
        this.address = address;
    }

    /** The resolver's address, for {@link ResolverDaneRecords#parseAddress}. */
    String address() {
        return address;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        unbound = start(address);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (unbound != null) {
            unbound.close();
        }
    }

    static Unbound start(String address) throws Exception {
        DebianTools.require(DebianTools.isRoot(), "a DNS server on port 53 needs root");
        DebianTools.require(Unbound.installed(), "unbound and ldnsutils are not installed");
        try {
            return Unbound.on(address)
                .zone(Unbound.Zone.signed("dane.test")
                    .mx("@", "mx.dane.test.")
                    .a("mx", "192.0.2.1")
                    .tlsa("mx", 25, KEY_HASH)
                    .record("_25._tcp.alias IN CNAME _25._tcp.mx")
                    .tlsa("mixed", 25, "1 1 1 " + "ab".repeat(32))
                    .tlsa("mixed", 25, "2 0 1 " + "cd".repeat(32))
                    .tlsa("pkix", 25, "0 1 1 " + "ab".repeat(32))
                    .tlsa("malformed", 25, "3 1 1 00112233")
                    .mx("bogus", "mx.bogus.dane.test.")
                    .tlsa("bogus", 25, KEY_HASH)
                    .bogus("_25._tcp.bogus", "TLSA"))
                .zone(Unbound.Zone.unsigned("plain.test")
                    .mx("@", "mx.plain.test.")
                    .a("mx", "192.0.2.2")
                    .tlsa("mx", 25, KEY_HASH))
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            DebianTools.require(false, e.getMessage());
            throw e;
        }
    }
}

package io.sendonly.server.testing;

import java.security.KeyPair;

import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;

/** A server-side TLS context with a throw-away self-signed certificate, as many real MX hosts present. */
public final class SelfSignedTls {
    private SelfSignedTls() {
    }

    public static SSLContext serverContext(String hostName) throws Exception {
        KeyPair keys = TestCa.rsa();
        X500Name subject = new X500Name("CN=" + hostName);
        return TestCa.serverContext(keys, TestCa.sign(TestCa.builder(subject, subject, keys), keys));
    }
}

package io.sendonly.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority, as a smart host's provider runs one: its certificate goes in a PEM file (the
 * route's {@code --x509cafile}), and it issues server certificates for names and addresses such as
 * {@code 127.0.0.1}. Any other authority's certificate fails verification.
 */
public final class TestCa {
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private TestCa(String name) throws GeneralSecurityException, OperatorCreationException, IOException {
        this.keyPair = rsa();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keyPair);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        this.certificate = sign(builder, keyPair);
    }

    public static TestCa create(String name) throws Exception {
        return new TestCa(name);
    }

    /** Writes this authority's certificate as PEM. */
    public Path writeCertificate(Path file) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        }
        return Files.writeString(file, pem.toString());
    }

    /** A server TLS context whose certificate this authority issued for {@code ipAddress} (and localhost). */
    public SSLContext serverContext(String ipAddress) throws Exception {
        KeyPair serverKeys = rsa();
        JcaX509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
            new X500Name("CN=" + ipAddress), serverKeys);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, ipAddress), new GeneralName(GeneralName.dNSName, "localhost")}));
        return serverContext(serverKeys, sign(builder, keyPair), certificate);
    }

    /** A certificate this authority issued, with its key: the chain (its own certificate first, then the authority's). */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        /** A server TLS context presenting this certificate. */
        public SSLContext serverContext() throws GeneralSecurityException, IOException {
            return TestCa.serverContext(keys, chain.toArray(X509Certificate[]::new));
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate naming {@code dnsNames} (subjectAltName dNSName; the common name is the first), valid now. */
    public Issued issue(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return issue(now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS), dnsNames);
    }

    /** A server certificate naming {@code dnsNames}, valid from {@code notBefore} to {@code notAfter}. */
    public Issued issue(Instant notBefore, Instant notAfter, String... dnsNames) throws Exception {
        KeyPair serverKeys = rsa();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(certificate.getSubjectX500Principal().getName()),
            new BigInteger(64, new SecureRandom()), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + dnsNames[0]),
            serverKeys.getPublic());
        GeneralName[] names = Arrays.stream(dnsNames).map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        return new Issued(serverKeys, List.of(sign(builder, keyPair), certificate));
    }

    /** A server certificate with only a common name, no subjectAltName, as old MX hosts present. */
    public Issued issueCommonNameOnly(String commonName) throws Exception {
        KeyPair serverKeys = rsa();
        JcaX509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
            new X500Name("CN=" + commonName), serverKeys);
        return new Issued(serverKeys, List.of(sign(builder, keyPair), certificate));
    }

    /** A server TLS context presenting {@code chain}, the first certificate being that of {@code keys}. */
    static SSLContext serverContext(KeyPair keys, X509Certificate... chain) throws GeneralSecurityException, IOException {
        char[] password = "test".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, password);
        keyStore.setKeyEntry("server", keys.getPrivate(), password, chain);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic());
    }

    static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair issuerKeys)
        throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}

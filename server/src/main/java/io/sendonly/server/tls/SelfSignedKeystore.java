package io.sendonly.server.tls;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.ConfigurationSanitizer;
import org.apache.james.protocols.lib.SslConfig;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.HeloName;

/**
 * At first start, creates the SMTP server's STARTTLS keystore when smtpserver.xml names one that does not exist:
 * a self-signed EC P-256 certificate for the server's hello name, valid ten years, file mode 0600. A keystore
 * the operator put there is never touched. Self-signed is what opportunistic TLS between MTAs and local
 * submission need; clients that verify certificates need the operator's own.
 */
public class SelfSignedKeystore implements ConfigurationSanitizer {
    private static final Logger LOGGER = LoggerFactory.getLogger(SelfSignedKeystore.class);
    private static final String COMPONENT = "smtpserver";

    private final ConfigurationProvider configurationProvider;
    private final FileSystem fileSystem;
    private final Clock clock;

    @Inject
    public SelfSignedKeystore(ConfigurationProvider configurationProvider, FileSystem fileSystem, Clock clock) {
        this.configurationProvider = configurationProvider;
        this.fileSystem = fileSystem;
        this.clock = clock;
    }

    @Override
    public void sanitize() throws Exception {
        for (HierarchicalConfiguration<ImmutableNode> server : configurationProvider.getConfiguration(COMPONENT).configurationsAt(COMPONENT)) {
            SslConfig ssl = SslConfig.parse(server);
            if ((ssl.useStartTLS() || ssl.useSSL()) && ssl.getKeystore() != null) {
                File keystore = fileSystem.getFile(ssl.getKeystore());
                if (!keystore.exists()) {
                    String hostName = HeloName.of(server);
                    generate(keystore.toPath(), ssl.getSecret(), ssl.getKeystoreType(), hostName);
                    LOGGER.info("Generated a self-signed TLS certificate for {} in {}", hostName, keystore);
                }
            }
        }
    }

    private void generate(Path location, String secret, String keystoreType, String hostName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=" + hostName);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
            new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)),
                subject, keyPair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));

        char[] password = secret.toCharArray();
        KeyStore keystore = KeyStore.getInstance(keystoreType);
        keystore.load(null, password);
        keystore.setEntry("sendonly", new KeyStore.PrivateKeyEntry(keyPair.getPrivate(), new Certificate[] {certificate}),
            new KeyStore.PasswordProtection(password));

        Files.createDirectories(location.getParent());
        Path temp = Files.createTempFile(location.getParent(), location.getFileName().toString(), ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temp)) {
            keystore.store(out, password);
        }
        Files.move(temp, location, StandardCopyOption.ATOMIC_MOVE);
    }
}

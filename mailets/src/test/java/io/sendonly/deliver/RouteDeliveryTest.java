package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory.MemoryCacheableMailQueue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.config.TableFile;
import io.sendonly.events.Events;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.suppress.SuppressionSettings;
import io.sendonly.testing.DirectoryFileSystem;
import io.sendonly.tls.TlsResults;

/**
 * The mailet as the server runs it, with James's in-memory queue as the outgoing queue and scripted SMTP peers on
 * loopback as the hosts its route table names.
 */
class RouteDeliveryTest {
    private static final String SERVER_NAME = "client.test";
    @TempDir
    Path directory;
    private final Map<String, AtomicInteger> taken = ScriptedSmtpPeer.newCounts();
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RouteDelivery mailet;

    @AfterEach
    void stop() throws Exception {
        if (mailet != null) {
            mailet.destroy();
        }
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void serviceShouldDeliverRightAwayAndQueueNothing() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        start(config(peer));
        Mail mail = mail("a@example.net");

        mailet.service(mail);

        assertThat(taken).containsOnlyKeys("a@example.net");
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(outgoing().getSize()).isZero();
    }

    @Test
    void serviceShouldQueueOnlyTheDeferredRecipientsForTheNextAttempt() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of("rcpt:later@example.net", "450 4.2.1 busy"));
        start(config(peer).setProperty(RouteDelivery.RETRY_SCHEDULE, "1h"));

        mailet.service(mail("a@example.net", "later@example.net"));

        assertThat(taken).containsOnlyKeys("a@example.net");
        List<Mail> queued = queued();
        assertThat(queued).singleElement().satisfies(mail -> {
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("later@example.net"));
            assertThat(mail.getErrorMessage()).isEqualTo("450 4.2.1 busy");
        });
    }

    @Test
    void serviceShouldQueueEveryMailFirstWhenTheFirstAttemptIsOnTheQueue() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        start(config(peer).setProperty(RouteDelivery.FIRST_ATTEMPT, "queue"));

        mailet.service(mail("a@example.net"));

        await().atMost(Duration.ofSeconds(10)).until(() -> taken.containsKey("a@example.net") && outgoing().getSize() == 0);
        assertThat(taken.get("a@example.net")).hasValue(1);
    }

    @Test
    void aChangedRoutesFileShouldApplyToTheNextMailWithoutRestart() throws Exception {
        Map<String, AtomicInteger> takenBySecond = ScriptedSmtpPeer.newCounts();
        ScriptedSmtpPeer first = peer(Map.of());
        ScriptedSmtpPeer second = ScriptedSmtpPeer.start(Map.of(), true, takenBySecond);
        toClose.add(second);
        start(config(first));
        mailet.service(mail("a@example.net"));

        routes(second);
        mailet.service(mail("b@example.net"));

        assertThat(taken).containsOnlyKeys("a@example.net");
        assertThat(takenBySecond).containsOnlyKeys("b@example.net");
    }

    @Test
    void aRoutesFileChangedToSomethingInvalidShouldKeepTheRoutesInForce() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        start(config(peer));

        TableFile.write(directory.resolve("routes"), List.of("default nowhere smtp --bogus"));
        mailet.service(mail("a@example.net"));

        assertThat(taken).containsOnlyKeys("a@example.net");
    }

    @Test
    void initShouldFailNamingTheMailetAndTheParameter() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        mailet = newMailet();
        FakeMailetConfig config = config(peer).setProperty(RouteDelivery.DELIVERY_THREADS, "0").build();

        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(MailetException.class)
            .hasMessage("RouteDelivery: <deliveryThreads> '0': expected a positive number");
    }

    @Test
    void initShouldFailNamingTheBadLineOfTheRoutesFile() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        FakeMailetConfig config = config(peer).build();
        Files.writeString(directory.resolve("routes"), "# routes\nsomewhere [127.0.0.1]:25\n");
        mailet = newMailet();

        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(MailetException.class)
            .hasMessageStartingWith("RouteDelivery: " + directory.resolve("routes") + ":2: 'somewhere': expected recipient, sender or default");
    }

    @Test
    void initShouldFailWhenTheRoutesFileDoesNotExist() throws Exception {
        mailet = newMailet();
        FakeMailetConfig config = FakeMailetConfig.builder().mailetName("RouteDelivery")
            .setProperty(RouteDelivery.ROUTES, "file://conf/routes").build();

        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(MailetException.class)
            .hasMessage("RouteDelivery: <routes> file://conf/routes does not exist");
    }

    @Test
    void initShouldFailNamingMtaStsCaFileWhenItHoldsNoCertificate() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        Files.writeString(directory.resolve("sts-ca.pem"), "not a certificate\n");
        mailet = newMailet();
        FakeMailetConfig config = config(peer).setProperty(RouteDelivery.MTA_STS_CA_FILE, "sts-ca.pem").build();

        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(MailetException.class)
            .hasMessageStartingWith("RouteDelivery: <mtaStsCaFile> trust anchor file " + directory.resolve("sts-ca.pem"));
    }

    @Test
    void initShouldKeepNoMtaStsCacheWhenMtaStsIsOff() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        mailet = newMailet();
        mailet.init(config(peer).setProperty(RouteDelivery.MTA_STS, "false").build());

        assertThat(directory.resolve(RouteDelivery.MTA_STS_CACHE)).doesNotExist();
    }

    @Test
    void initShouldMakeThePrivateMtaStsCacheWhenMtaStsIsOn() throws Exception {
        ScriptedSmtpPeer peer = peer(Map.of());
        start(config(peer));

        assertThat(Files.getPosixFilePermissions(directory.resolve(RouteDelivery.MTA_STS_CACHE)))
            .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private ScriptedSmtpPeer peer(Map<String, String> script) throws Exception {
        ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(script, true, taken);
        toClose.add(peer);
        return peer;
    }

    /** The mailet's configuration, its route table sending everything to {@code peer}. */
    private FakeMailetConfig.Builder config(ScriptedSmtpPeer peer) throws Exception {
        routes(peer);
        return FakeMailetConfig.builder().mailetName("RouteDelivery").mailetContext(FakeMailContext.defaultContext())
            .setProperty(RouteDelivery.ROUTES, "file://conf/routes")
            .setProperty(RouteDelivery.CONNECT_TIMEOUT, "2s")
            .setProperty(RouteDelivery.TIMEOUT, "2s")
            .setProperty(RouteDelivery.DELIVERY_THREADS, "2");
    }

    private void routes(ScriptedSmtpPeer peer) throws Exception {
        TableFile.write(directory.resolve("routes"), List.of("default [127.0.0.1]:" + peer.port()));
    }

    private void start(FakeMailetConfig.Builder config) throws Exception {
        mailet = newMailet();
        mailet.init(config.build());
    }

    /** Routed to smart hosts, the mail never needs DNS: the MTA-STS resolver is the local one. */
    private RouteDelivery newMailet() throws IOException {
        return new RouteDelivery(new LiteralAddresses(), queues, new DirectoryFileSystem(directory), Clock.systemUTC(), SERVER_NAME,
            List.of("127.0.0.1"), suppressions(), new Events(), TlsResults.IGNORED);
    }

    private MemoryCacheableMailQueue outgoing() {
        return queues.createQueue(MailQueueName.of("outgoing"));
    }

    private List<Mail> queued() throws Exception {
        List<Mail> mails = new ArrayList<>();
        ManageableMailQueue.MailQueueIterator items = outgoing().browse();
        items.forEachRemaining(item -> mails.add(item.getMail()));
        items.close();
        return mails;
    }

    private static Mail mail(String... recipients) throws Exception {
        return FakeMail.builder().name("mail-" + recipients[0]).sender("app@example.com").recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addFrom("app@example.com").setSubject("test").setText("body"))
            .build();
    }

    private SuppressionList suppressions() throws IOException {
        return new SuppressionList(SuppressionSettings.DEFAULTS, directory.resolve(SuppressionList.FILE), new Events(), Clock.systemUTC());
    }
}

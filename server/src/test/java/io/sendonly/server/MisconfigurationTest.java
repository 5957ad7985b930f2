package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.lang3.exception.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.TestServer;

/** A misconfigured server refuses to start, and says where the mistake is. */
class MisconfigurationTest {
    @TempDir
    Path workingDirectory;

    private TestServer server;

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void badTrustedHostsLineShouldStopStartUpNamingFileAndLine() {
        server = TestServer.prepare(workingDirectory).trustedHosts("127.0.0.1\n# fine so far\n10.0.0.0/33\n");

        assertThat(startUpFailure()).contains("TrustedHosts:3:").contains("10.0.0.0/33");
    }

    @Test
    void unknownHostNameInTrustedHostsShouldStopStartUp() {
        server = TestServer.prepare(workingDirectory).trustedHosts("no-such-host.invalid\n");

        assertThat(startUpFailure()).contains("TrustedHosts:1:").contains("no-such-host.invalid");
    }

    @Test
    void missingTrustedHostsFileShouldStopStartUp() {
        server = TestServer.prepare(workingDirectory)
            .smtpServerXml(xml -> xml.set("//handler[@class='io.sendonly.accept.RelayOnlyForTrustedClients']/trustedHosts",
                "file://conf/NoSuchTrustedHosts"));

        assertThat(startUpFailure()).contains("NoSuchTrustedHosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf", "var"})
    void aFolderOthersCanWriteShouldStopStartUpNamingIt(String folder) throws Exception {
        server = TestServer.prepare(workingDirectory);
        Files.createDirectories(workingDirectory.resolve(folder));
        Files.setPosixFilePermissions(workingDirectory.resolve(folder), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(startUpFailure()).contains(workingDirectory.resolve(folder) + " is writable by other users").contains("chmod go-w");
    }

    @Test
    void badAlignmentModeShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .smtpServerXml(xml -> xml.set("//handler[@class='io.sendonly.server.accept.CheckFromAlignment']/mode", "reject"));

        assertThat(startUpFailure()).contains("CheckFromAlignment <mode> 'reject': expected off, log, refuse");
    }

    @Test
    void unknownMailetParameterShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .delivery("retrySchedules", "1m");

        assertThat(startUpFailure()).contains("retrySchedules");
    }

    @Test
    void badRouteLineShouldStopStartUpNamingFileAndLine() {
        server = TestServer.prepare(workingDirectory)
            .routes("# smart hosts\ndefault smtp.example.com smtp --port=587 --startls --pass=hunter2 --user=u\n");

        assertThat(startUpFailure()).contains("routes:2:").contains("--startls").doesNotContain("hunter2");
    }

    @Test
    void missingCaFileShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .routes("default smtp.example.com smtp --starttls --x509cafile=relay-ca.pem\n");

        assertThat(startUpFailure()).contains("relay-ca.pem").contains("not readable");
    }

    @Test
    void missingMtaStsCaFileShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .delivery("mtaStsCaFile", "conf/sts-ca.pem");

        assertThat(startUpFailure()).contains("<mtaStsCaFile>").contains("sts-ca.pem");
    }

    @Test
    void badTlsPolicyLineShouldStopStartUpNamingFileAndLine() throws Exception {
        server = TestServer.prepare(workingDirectory);
        Files.writeString(server.conf("tls_policy"), "# pins\nexample.org strict\n");

        assertThat(startUpFailure()).contains("tls_policy:2:").contains("unknown TLS security level 'strict'");
    }

    @Test
    void missingTrustAnchorFileShouldStopStartUpNamingIt() throws Exception {
        server = TestServer.prepare(workingDirectory);
        Files.writeString(server.conf("tls_policy"), "example.org secure tafile=bank-ca.pem\n");

        assertThat(startUpFailure()).contains("tls_policy:1:").contains("bank-ca.pem is not readable");
    }

    @Test
    void badRetryScheduleShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .delivery("retrySchedule", "5m, soon");

        assertThat(startUpFailure()).contains("retrySchedule").contains("soon");
    }

    @Test
    void unknownFirstAttemptShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .delivery("firstAttempt", "later");

        assertThat(startUpFailure()).contains("firstAttempt").contains("'later': expected spool or queue");
    }

    @Test
    void missingProcessorShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .mailetContainerXml(xml -> xml.set("//processor[@state='root']/mailet[@class='ToProcessor']/processor", "trasnport"));

        assertThat(startUpFailure()).contains("trasnport");
    }

    @Test
    void malformedBindShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .smtpServerXml(xml -> xml.set("/smtpservers/smtpserver/bind", "::1:2525"));

        assertThat(startUpFailure()).contains("bind").contains("::1:2525");
    }

    @ParameterizedTest
    @CsvSource({
        "/smtpservers/smtpserver/maxLineLength, 1M",
        "/smtpservers/smtpserver/connectionLimitPerIP, -1",
        "//handler[@class='io.sendonly.accept.LimitRecipients']/maxRecipients, 0",
        "//handler[@class='io.sendonly.server.accept.LimitAuthFailures']/failureWindow, 10 minutes"})
    void aBadSmtpListenerParameterShouldStopStartUpNamingIt(String xpath, String value) {
        server = TestServer.prepare(workingDirectory).smtpServerXml(xml -> xml.set(xpath, value));

        assertThat(startUpFailure()).contains("<" + xpath.substring(xpath.lastIndexOf('/') + 1) + "> '" + value + "'");
    }

    @Test
    void signingTableNamingAMissingKeyShouldStopStartUpNamingFileAndLine() {
        server = TestServer.prepare(workingDirectory);
        ConfFile.write(server.conf("dkim/KeyTable"), "mail example.com:mail:keys/missing.private\n");
        ConfFile.write(server.conf("dkim/SigningTable"), "*@example.com mail\n");

        assertThat(startUpFailure()).contains("KeyTable:1: key 'mail'").contains("no such file");
    }

    @Test
    void unknownSignDkimParameterShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .mailetContainerXml(xml -> xml.set("//mailet[@class='io.sendonly.sign.SignDkim']/canonicalisation", "simple"));

        assertThat(startUpFailure()).contains("canonicalisation");
    }

    @Test
    void aWebhookSecretOthersCanReadShouldStopStartUpNamingTheElement() throws Exception {
        server = TestServer.prepare(workingDirectory);
        Files.writeString(server.conf("webhook.secret"), "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(server.conf("webhook.secret"), PosixFilePermissions.fromString("rw-r--r--"));
        ConfFile.write(server.conf("events.xml"), "<events><webhooks><webhook><name>crm</name><url>http://127.0.0.1:9/</url>"
            + "<secretFile>conf/webhook.secret</secretFile></webhook></webhooks></events>");

        assertThat(startUpFailure()).contains("events.xml <webhooks><webhook>[1]<secretFile>").contains("readable by other users")
            .doesNotContain("0123456789abcdef0123456789abcdef");
    }

    @Test
    void badSuppressionExpiryShouldStopStartUpNamingTheElement() {
        server = TestServer.prepare(workingDirectory)
            .editXml("events.xml", xml -> xml.set("/events/suppression/expiry", "soon"));

        assertThat(startUpFailure()).contains("events.xml: <suppression><expiry> 'soon'");
    }

    @Test
    void anEgressAddressThatIsNoAddressShouldStopStartUpNamingTheElement() {
        server = TestServer.prepare(workingDirectory)
            .editXml("preflight.xml", xml -> xml.set("/preflight/egressAddress", "mail.example.com"));

        assertThat(startUpFailure()).contains("preflight.xml: <egressAddress>: 'mail.example.com': expected the IPv4 or IPv6 address");
    }

    @Test
    void anUnknownPreflightElementShouldStopStartUpNamingIt() {
        server = TestServer.prepare(workingDirectory)
            .editXml("preflight.xml", xml -> xml.set("/preflight/egress", "203.0.113.5"));

        assertThat(startUpFailure()).contains("preflight.xml: unknown element <egress>; expected <egressAddress>");
    }

    @Test
    void anExternalQueueWithoutBrokerUrlShouldStopStartUpNamingTheKey() {
        server = TestServer.prepare(workingDirectory);
        ConfFile.write(server.conf("queue.properties"), "engine=external\n");

        assertThat(startUpFailure()).contains("queue.properties: engine=external needs broker.url");
    }

    private String startUpFailure() {
        Throwable failure = catchThrowable(server::start);
        assertThat(failure).as("the server should refuse to start").isNotNull();
        return ExceptionUtils.getStackTrace(failure);
    }
}

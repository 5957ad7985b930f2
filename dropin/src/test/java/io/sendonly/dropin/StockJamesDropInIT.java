package io.sendonly.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/**
 * The drop-in bundle in a stock Apache James: {@code james-server-memory-app:3.8.1}, started in its own JVM on its
 * own classpath (none of our classes), with the bundle's jars in {@code extensions-jars/} and its fragments applied
 * to the stock sample configuration, exactly as the bundle's README says. A relayed message leaves DKIM-signed by
 * table, through the smart host of conf/routes; our webadmin routes answer, metrics and the preflight included.
 */
class StockJamesDropInIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path home;

    private Process james;
    private SmtpSink smartHost;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (james != null && james.isAlive()) {
                james.destroy();
                if (!james.waitFor(30, TimeUnit.SECONDS)) {
                    james.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (smartHost != null) {
                smartHost.close();
            }
        }
    }

    @Test
    void stockJamesWithTheBundleShouldSignByTableRouteToTheSmartHostAndServeOurWebadminRoute() throws Exception {
        smartHost = SmtpSink.start();
        int smtpPort = Distribution.freePort();
        int webAdminPort = Distribution.freePort();
        Path bundle = Path.of(System.getProperty("sendonly.dropin"));
        Path conf = home.resolve("conf");

        Distribution.copyTree(Path.of(StockJamesDropInIT.class.getResource("/stock-james-conf").toURI()), conf);
        for (String name : List.of("smtpserver.xml", "webadmin.properties")) {
            Files.writeString(conf.resolve(name), Files.readString(conf.resolve(name))
                .replace("@SMTP_PORT@", String.valueOf(smtpPort)).replace("@WEBADMIN_PORT@", String.valueOf(webAdminPort)));
        }
        // README step 1 and 2: the jars, and our configuration files.
        Distribution.copyTree(bundle.resolve("extensions-jars"), home.resolve("extensions-jars"));
        Distribution.copyTree(bundle.resolve("conf"), conf);
        // README step 3: the fragments.
        applyHandlerFragment(conf.resolve("smtpserver.xml"), bundle.resolve("fragments/smtpserver-handlerchain.xml"));
        applyMailetFragments(conf.resolve("mailetcontainer.xml"), bundle.resolve("fragments/mailetcontainer-relay.xml"),
            bundle.resolve("fragments/mailetcontainer-bounces.xml"));
        Files.writeString(conf.resolve("webadmin.properties"), Files.readString(conf.resolve("webadmin.properties")) + "\n"
            + Files.readString(bundle.resolve("fragments/webadmin.properties")));
        // What an operator then sets: a smart host, a signing key.
        Files.writeString(conf.resolve("routes"), "default [127.0.0.1]:" + smartHost.port() + "\n");
        KeyPair key = TestKeys.rsa(2048);
        TestKeys.write(conf.resolve("dkim/keys/mail.private"), key.getPrivate(), "rw-------");
        Files.writeString(conf.resolve("dkim/KeyTable"), "mail._domainkey.example.com example.com:mail:keys/mail.private\n");
        Files.writeString(conf.resolve("dkim/SigningTable"), "*@example.com mail._domainkey.example.com\n");

        startStockJames(smtpPort, webAdminPort);
        HttpResponse<String> queue = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/sendonly/queue")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(queue.statusCode()).as(queue.body()).isEqualTo(200);
        assertThat(queue.body()).isEqualTo("[]");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(smtpPort)) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(messageId, "App <app@example.com>", "user@example.net", "Drop-in", "Signed by table.\r\n"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> !smartHost.received().isEmpty());
        SmtpSink.Received received = smartHost.received().get(0);
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.rcptTo()).containsExactly("user@example.net");
        assertThat(received.header("DKIM-Signature")).contains("d=example.com").contains("s=mail");
        for (IndependentVerifiers.Result result : IndependentVerifiers.verify(received.data(), "example.com",
            Map.of("mail._domainkey.example.com", DkimRecord.of(key.getPublic(), false, false)))) {
            assertThat(result.passed()).as(result.verifier() + "\n" + result.output()).isTrue();
        }

        HttpResponse<String> routes = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/sendonly/routes")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"match\":\"default\"").contains("\"host\":\"127.0.0.1\",\"port\":" + smartHost.port());
        assertThat(Files.readString(home.resolve("james.log"))).contains("Loading WebAdmin route extension io.sendonly.webadmin.RouteTableRoutes");
        HttpResponse<String> settings = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/sendonly/settings")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        assertThat(settings.body()).contains("\"defaultDomain\":");
        HttpResponse<String> preflight = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/sendonly/preflight?domain=example.com")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.body()).contains("\"domain\":\"example.com\"").contains("\"name\":\"dkim\"").contains("\"checklist\":[");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("\nsendonly_deliveries_total\\{outcome=\"delivered\",class=\"none\",route=\"[^\"]+\"\\} 1\n")
            .contains("\nsendonly_delivery_seconds_count 1\n");
    }

    /** Started once both SMTP and webadmin accept connections: James opens them in no fixed order. */
    private void startStockJames(int smtpPort, int webAdminPort) throws Exception {
        String classpath = Files.readString(Path.of(System.getProperty("stock.james.classpath"))).trim();
        assertThat(classpath).doesNotContain("sendonly");
        Path log = home.resolve("james.log");
        james = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-Dworking.directory=" + home, "-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"),
            "-cp", classpath, "org.apache.james.MemoryJamesServerMain")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(james.isAlive()).as("stock James exited:\n" + Files.readString(log)).isTrue();
            if (Distribution.accepts(smtpPort) && Distribution.accepts(webAdminPort)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("stock James did not open SMTP and webadmin within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** Our handlers go before CoreCmdHandlerLoader in each handler chain. */
    private static void applyHandlerFragment(Path smtpServerXml, Path fragment) throws Exception {
        Document document = parse(smtpServerXml);
        Document handlers = parse(fragment);
        NodeList loaders = nodes(document, "//handlerchain/handler[@class='org.apache.james.smtpserver.CoreCmdHandlerLoader']");
        assertThat(loaders.getLength()).isPositive();
        for (int i = 0; i < loaders.getLength(); i++) {
            Node loader = loaders.item(i);
            for (Element handler : elements(handlers.getDocumentElement())) {
                loader.getParentNode().insertBefore(document.importNode(handler, true), loader);
            }
        }
        write(document, smtpServerXml);
    }

    /** RemoteDelivery of processor relay is replaced by our mailets; processor bounces gets our content. */
    private static void applyMailetFragments(Path mailetContainerXml, Path relayFragment, Path bouncesFragment) throws Exception {
        Document document = parse(mailetContainerXml);
        Node remoteDelivery = nodes(document, "//processor[@state='relay']/mailet[@class='RemoteDelivery']").item(0);
        assertThat(remoteDelivery).as("the stock relay processor holds RemoteDelivery").isNotNull();
        for (Element mailet : elements(parse(relayFragment).getDocumentElement())) {
            remoteDelivery.getParentNode().insertBefore(document.importNode(mailet, true), remoteDelivery);
        }
        remoteDelivery.getParentNode().removeChild(remoteDelivery);
        Node bounces = nodes(document, "//processor[@state='bounces']").item(0);
        while (bounces.getFirstChild() != null) {
            bounces.removeChild(bounces.getFirstChild());
        }
        for (Element mailet : elements(parse(bouncesFragment).getDocumentElement())) {
            bounces.appendChild(document.importNode(mailet, true));
        }
        write(document, mailetContainerXml);
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static NodeList nodes(Document document, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
    }

    private static List<Element> elements(Element parent) {
        NodeList children = parent.getChildNodes();
        return Stream.iterate(0, i -> i < children.getLength(), i -> i + 1).map(children::item)
            .filter(Element.class::isInstance).map(Element.class::cast).toList();
    }

    private static void write(Document document, Path file) throws Exception {
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.INDENT, "yes");
        transformer.transform(new DOMSource(document), new StreamResult(file.toFile()));
    }
}

package io.sendonly.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.WebAdminGuiceProbe;

import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;

import io.sendonly.events.Events;
import io.sendonly.server.SendOnlyServer;

/**
 * The real send-only server, started in this JVM on random loopback ports with a temporary working directory
 * holding the shipped conf/. Tests adjust conf/ before {@link #start()}; {@link #restart()} keeps var/.
 */
public final class TestServer implements AutoCloseable {
    static {
        // Start-up errors must reach the test, not end the JVM.
        System.setProperty("james.exit.on.startup.error", "false");
    }

    private final Path workingDirectory;
    private final List<Module> overrides = new ArrayList<>();
    private GuiceJamesServer server;

    private TestServer(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** A working directory with the shipped configuration, SMTP and webadmin moved to random loopback ports. */
    public static TestServer prepare(Path workingDirectory) {
        ShippedConf.copyTo(workingDirectory.resolve("conf"));
        TestServer server = new TestServer(workingDirectory);
        server.smtpServerXml(xml -> xml.set("/smtpservers/smtpserver/bind", "127.0.0.1:0"));
        server.replaceInConf("webadmin.properties", "port=8000", "port=0");
        return server;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public Path conf(String name) {
        return workingDirectory.resolve("conf").resolve(name);
    }

    public TestServer smtpServerXml(Consumer<ConfFile> edit) {
        return editXml("smtpserver.xml", edit);
    }

    public TestServer mailetContainerXml(Consumer<ConfFile> edit) {
        return editXml("mailetcontainer.xml", edit);
    }

    public TestServer editXml(String name, Consumer<ConfFile> edit) {
        ConfFile file = ConfFile.of(conf(name));
        edit.accept(file);
        file.save();
        return this;
    }

    /** James resolves with the DNS server on {@code address}:53 alone (no autodiscovery of the system's). */
    public TestServer dnsServer(String address) {
        return editXml("dnsservice.xml", xml -> xml
            .set("/dnsservice/autodiscover", "false")
            .set("/dnsservice/servers", "")
            .set("/dnsservice/servers/server", address));
    }

    /** Sends everything to one SMTP host on loopback instead of the recipients' MX. */
    public TestServer relayTo(int port) {
        return routes("default [127.0.0.1]:" + port + "\n");
    }

    /** Replaces conf/routes. */
    public TestServer routes(String content) {
        ConfFile.write(conf("routes"), content);
        return this;
    }

    /** Sets a parameter of the RouteDelivery mailet, e.g. {@code retrySchedule}. */
    public TestServer delivery(String parameter, String value) {
        return mailetContainerXml(xml -> xml.set("//mailet[@class='io.sendonly.deliver.RouteDelivery']/" + parameter, value));
    }

    public TestServer trustedHosts(String content) {
        ConfFile.write(conf("TrustedHosts"), content);
        return this;
    }

    public TestServer replaceInConf(String name, String from, String to) {
        try {
            String content = Files.readString(conf(name));
            if (!content.contains(from)) {
                throw new IllegalArgumentException(name + " does not contain " + from);
            }
            Files.writeString(conf(name), content.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Replaces bindings of the server at each start, e.g. its {@code Clock} with one the test moves. */
    public TestServer overriding(Module module) {
        overrides.add(module);
        return this;
    }

    public TestServer start() throws Exception {
        server = SendOnlyServer.create(Configuration.builder().workingDirectory(workingDirectory.toFile()).build())
            .combineWith(binder -> Multibinder.newSetBinder(binder, GuiceProbe.class).addBinding().to(EventsProbe.class))
            .overrideWith(overrides.toArray(Module[]::new));
        try {
            server.start();
        } catch (Throwable e) {
            server.stop();
            server = null;
            throw e;
        }
        return this;
    }

    public TestServer restart() throws Exception {
        stop();
        return start();
    }

    /** The server's event publisher. */
    public Events events() {
        return server.getProbe(EventsProbe.class).events();
    }

    public int smtpPort() {
        return server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
    }

    public int webAdminPort() {
        return server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    /** Webadmin as the operator, with the token the server made. */
    public WebAdmin webAdmin() {
        return WebAdmin.operator(webAdminPort(), workingDirectory);
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}

package io.sendonly.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.sendonly.dkim.DebianTools;

/**
 * OpenDKIM's own verifier, {@code opendkim-testmsg}, with its DNS answered by dnsmasq: the resolver file it reads is
 * swapped for one naming dnsmasq by a bind mount in a mount namespace of its own, so the host's stays untouched.
 * Needs root, dnsmasq, opendkim-tools and unshare, as the debian-tools profile promises.
 */
public final class OpendkimVerifier implements AutoCloseable {
    private static final String DNS_ADDRESS = "127.0.0.157";
    private static final Path TESTMSG = Paths.get("/usr/sbin/opendkim-testmsg");

    private final Dnsmasq dns;
    private final Path resolvConf;

    private OpendkimVerifier(Dnsmasq dns, Path resolvConf) {
        this.dns = dns;
        this.resolvConf = resolvConf;
    }

    /** @param txtRecords {@code selector._domainkey.domain} to its TXT record */
    public static OpendkimVerifier start(Map<String, String> txtRecords, Path directory) throws IOException {
        DebianTools.require(Prerequisites.isRoot() && Files.isExecutable(TESTMSG) && Dnsmasq.executable().isPresent(),
            "opendkim-testmsg needs root, opendkim-tools and dnsmasq");
        Dnsmasq.Builder builder = Dnsmasq.on(DNS_ADDRESS).localDomain("com");
        txtRecords.forEach(builder::txt);
        Path resolvConf = Files.writeString(directory.resolve("resolv.conf"), "nameserver " + DNS_ADDRESS + "\n");
        return new OpendkimVerifier(builder.start(), resolvConf);
    }

    /** Empty when every signature of the message verifies; else what opendkim-testmsg said. */
    public Optional<String> problem(byte[] message) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("unshare", "--mount", "sh", "-c",
            "mount --bind \"$0\" /etc/resolv.conf && exec " + TESTMSG, resolvConf.toString())
            .redirectErrorStream(true).start();
        process.getOutputStream().write(message);
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Optional.of("opendkim-testmsg did not finish within 60 s");
        }
        return process.exitValue() == 0 ? Optional.empty() : Optional.of("exit " + process.exitValue() + ": " + output.strip());
    }

    @Override
    public void close() {
        dns.close();
    }
}

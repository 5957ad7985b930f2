package io.sendonly.deliver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server on loopback that misbehaves on cue, for delivery tests: a well-behaved server except at the steps its
 * script names ({@code greeting}, {@code ehlo}, {@code mail}, {@code rcpt:ADDRESS}, {@code data}, {@code dot},
 * {@code quit}), where it sends the given reply lines ({@code \n} between lines, sent as they are) or does one of
 * {@link #CLOSE} (hang up), {@link #HANG} (say nothing until the client gives up), {@link #ACCEPT_THEN_CLOSE} and
 * {@link #ACCEPT_THEN_HANG} (at {@code dot}: take the message, then never answer). It counts, per recipient, the
 * messages it took, in a map the test can share between peers. Connections are served one at a time.
 */
final class ScriptedSmtpPeer implements AutoCloseable {
    static final String CLOSE = "CLOSE";
    static final String HANG = "HANG";
    static final String ACCEPT_THEN_CLOSE = "ACCEPT+CLOSE";
    static final String ACCEPT_THEN_HANG = "ACCEPT+HANG";
    private static final int HANG_LIMIT_MILLIS = 10_000;

    private final ServerSocket server;
    private final Map<String, String> script;
    private final boolean pipelining;
    private final Map<String, AtomicInteger> taken;
    private final Thread thread;

    private ScriptedSmtpPeer(Map<String, String> script, boolean pipelining, Map<String, AtomicInteger> taken) throws IOException {
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        this.script = Map.copyOf(script);
        this.pipelining = pipelining;
        this.taken = taken;
        this.thread = new Thread(this::serve, "scripted-smtp-peer");
        thread.setDaemon(true);
        thread.start();
    }

    static ScriptedSmtpPeer start(Map<String, String> script, boolean pipelining, Map<String, AtomicInteger> taken) throws IOException {
        return new ScriptedSmtpPeer(script, pipelining, taken);
    }

    static Map<String, AtomicInteger> newCounts() {
        return new ConcurrentHashMap<>();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(HANG_LIMIT_MILLIS);
                converse(socket.getInputStream(), socket.getOutputStream());
            } catch (IOException e) {
                // the client hung up, or the test closed the peer
            }
        }
    }

    private void converse(InputStream in, OutputStream out) throws IOException {
        if (!act("greeting", "220 peer.test ESMTP", in, out)) {
            return;
        }
        List<String> accepted = new ArrayList<>();
        boolean inTransaction = false;
        String line;
        while ((line = readLine(in)) != null) {
            String upper = line.toUpperCase(Locale.ROOT);
            boolean open;
            if (upper.startsWith("EHLO")) {
                open = act("ehlo", "250-peer.test\n" + (pipelining ? "250-PIPELINING\n" : "") + "250-8BITMIME\n250 SIZE 1000000", in, out);
            } else if (upper.startsWith("HELO")) {
                open = act("helo", "250 peer.test", in, out);
            } else if (upper.startsWith("MAIL FROM:")) {
                accepted.clear();
                inTransaction = script.getOrDefault("mail", "250").startsWith("2");
                open = act("mail", "250 2.1.0 ok", in, out);
            } else if (upper.startsWith("RCPT TO:") && !inTransaction) {
                open = act("other", "503 5.5.1 MAIL first", in, out);
            } else if (upper.startsWith("RCPT TO:")) {
                String recipient = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                String reply = script.getOrDefault("rcpt:" + recipient, "250 2.1.5 ok");
                if (reply.startsWith("2")) {
                    accepted.add(recipient);
                }
                open = act("rcpt:" + recipient, "250 2.1.5 ok", in, out);
            } else if (upper.equals("DATA")) {
                String reply = script.getOrDefault("data", accepted.isEmpty() ? "554 5.5.1 no valid recipients" : "354 go ahead");
                open = act("data", reply, in, out);
                if (open && reply.startsWith("354")) {
                    open = readData(in) && endOfData(accepted, in, out);
                    inTransaction = false;
                }
            } else if (upper.equals("RSET")) {
                accepted.clear();
                inTransaction = false;
                open = act("rset", "250 2.0.0 ok", in, out);
            } else if (upper.equals("QUIT")) {
                act("quit", "221 2.0.0 bye", in, out);
                open = false;
            } else {
                open = act("other", "502 5.5.2 what", in, out);
            }
            if (!open) {
                return;
            }
        }
    }

    private boolean endOfData(List<String> accepted, InputStream in, OutputStream out) throws IOException {
        String action = script.getOrDefault("dot", "250 2.0.0 queued");
        boolean takes = action.startsWith("2") || action.startsWith("ACCEPT");
        if (takes && !accepted.isEmpty()) {
            accepted.forEach(recipient -> taken.computeIfAbsent(recipient, any -> new AtomicInteger()).incrementAndGet());
        }
        return switch (action) {
            case ACCEPT_THEN_CLOSE -> false;
            case ACCEPT_THEN_HANG -> hang(in);
            default -> act("dot", accepted.isEmpty() ? "554 5.5.1 no valid recipients" : "250 2.0.0 queued", in, out);
        };
    }

    /** Does what the script says at {@code step}, or sends {@code normal}. @return whether the conversation goes on */
    private boolean act(String step, String normal, InputStream in, OutputStream out) throws IOException {
        String action = script.getOrDefault(step, normal);
        switch (action) {
            case CLOSE:
                return false;
            case HANG:
                return hang(in);
            default:
                out.write((action.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
        }
    }

    /** Says nothing until the client gives up and closes, or the limit passes. */
    private static boolean hang(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            // the client should have given up long before
        }
        return false;
    }

    /** @return whether the final dot came: a message cut short is not taken */
    private static boolean readData(InputStream in) throws IOException {
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                return true;
            }
        }
        return false;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

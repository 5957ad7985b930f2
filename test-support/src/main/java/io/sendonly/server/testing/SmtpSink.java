package io.sendonly.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server that accepts every message and keeps the exact bytes received (dot-unstuffed), for
 * asserting what a downstream server saw. Optionally: STARTTLS ({@link #startWithStartTls()}, or a context of
 * {@link TestCa}), AUTH PLAIN and LOGIN required before MAIL ({@link #requireAuth}), a refusing greeting
 * ({@link #greetWith}), any command answered with a given reply ({@link #answer}). No pipelining checks.
 */
public final class SmtpSink implements AutoCloseable {
    public record Received(String helo, String mailFrom, List<String> rcptTo, byte[] data, boolean tls, String authenticatedAs) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** The value of the first header named {@code name}, unfolded, or null. */
        public String header(String name) {
            String headers = text().split("\r\n\r\n", 2)[0].replace("\r\n ", " ").replace("\r\n\t", " ");
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public String body() {
            String[] parts = text().split("\r\n\r\n", 2);
            return parts.length > 1 ? parts[1] : "";
        }
    }

    private final ServerSocket serverSocket;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> rejections = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    private final SSLContext tlsContext;
    private final boolean implicitTls;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile String greeting = "220 sink ESMTP";
    private volatile boolean eightBitMime = true;
    private volatile String user;
    private volatile String password;

    private SmtpSink(ServerSocket serverSocket, SSLContext tlsContext, boolean implicitTls) {
        this.serverSocket = serverSocket;
        this.tlsContext = tlsContext;
        this.implicitTls = implicitTls;
        executor.submit(this::acceptLoop);
    }

    public static SmtpSink start() throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0);
    }

    public static SmtpSink start(InetAddress address, int port) throws IOException {
        return new SmtpSink(bind(address, port), null, false);
    }

    /** A sink on a random loopback port that offers STARTTLS with a self-signed certificate. */
    public static SmtpSink startWithStartTls() throws Exception {
        return new SmtpSink(bind(InetAddress.getLoopbackAddress(), 0), SelfSignedTls.serverContext("sink.test"), false);
    }

    /** A sink on a random loopback port offering STARTTLS with {@code tlsContext}. */
    public static SmtpSink startWithStartTls(SSLContext tlsContext) throws IOException {
        return new SmtpSink(bind(InetAddress.getLoopbackAddress(), 0), tlsContext, false);
    }

    /** A sink on {@code address:port} (an MX on port 25) offering STARTTLS with {@code tlsContext}. */
    public static SmtpSink startWithStartTls(InetAddress address, int port, SSLContext tlsContext) throws IOException {
        return new SmtpSink(bind(address, port), tlsContext, false);
    }

    /** A sink on a random loopback port speaking TLS from the first byte (port 465 style). */
    public static SmtpSink startWithImplicitTls(SSLContext tlsContext) throws IOException {
        return new SmtpSink(bind(InetAddress.getLoopbackAddress(), 0), tlsContext, true);
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** From now on, answers RCPT TO:{@code <recipient>} with {@code reply} (e.g. {@code 550 5.1.1 No such user}). */
    public void rejectRecipient(String recipient, String reply) {
        rejections.put(recipient, reply);
    }

    /** From now on, does not offer 8BITMIME, as an old MTA would not. */
    public void withoutEightBitMime() {
        eightBitMime = false;
    }

    /**
     * Greets new connections with {@code reply} (e.g. {@code 421 4.3.2 busy}) and closes them, unless it is a 220;
     * an empty reply means saying nothing until the client gives up.
     */
    public void greetWith(String reply) {
        greeting = reply;
    }

    /** From now on, answers every command whose verb is {@code verb} (e.g. {@code EHLO}) with {@code reply}, and does nothing else. */
    public void answer(String verb, String reply) {
        answers.put(verb.toUpperCase(), reply);
    }

    /** AUTH PLAIN or LOGIN with these credentials is required before MAIL; offered only after STARTTLS when TLS is on. */
    public void requireAuth(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** How many RCPT TO were answered with a {@link #rejectRecipient} reply so far. */
    public int rejected() {
        return rejected.get();
    }

    public void acceptAllRecipients() {
        rejections.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                connections.incrementAndGet();
                executor.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket client = plain;
        try {
            client.setSoTimeout(60_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            boolean tls = false;
            if (implicitTls) {
                client = handshake(client);
                in = client.getInputStream();
                out = client.getOutputStream();
                tls = true;
            }
            String hello = greeting;
            if (hello.isEmpty()) {
                while (in.read() != -1) {
                    // silent until the client gives up
                }
                return;
            }
            reply(out, hello);
            if (!hello.startsWith("220")) {
                return;
            }
            String authenticatedAs = null;
            String helo = null;
            String mailFrom = null;
            List<String> rcptTo = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String upper = line.toUpperCase();
                String answer = answers.get(upper.split(" ", 2)[0]);
                if (answer != null) {
                    reply(out, answer);
                } else if (upper.startsWith("EHLO")) {
                    helo = line.substring(4).trim();
                    boolean offerAuth = user != null && (tls || tlsContext == null);
                    reply(out, "250-sink\r\n" + (eightBitMime ? "250-8BITMIME\r\n" : "") + "250-PIPELINING\r\n"
                        + (tlsContext != null && !tls ? "250-STARTTLS\r\n" : "")
                        + (offerAuth ? "250-AUTH PLAIN LOGIN\r\n" : "") + "250 SIZE 104857600");
                } else if (upper.equals("STARTTLS") && tlsContext != null && !tls) {
                    reply(out, "220 2.0.0 Ready to start TLS");
                    client = handshake(client);
                    in = client.getInputStream();
                    out = client.getOutputStream();
                    tls = true;
                    helo = null;
                } else if (upper.startsWith("HELO")) {
                    helo = line.substring(4).trim();
                    reply(out, "250 sink");
                } else if (upper.startsWith("AUTH ") && user != null && authenticatedAs == null) {
                    String[] credentials = credentials(line, in, out);
                    if (credentials != null && credentials[0].equals(user) && credentials[1].equals(password)) {
                        authenticatedAs = credentials[0];
                        reply(out, "235 2.7.0 Authentication successful");
                    } else {
                        reply(out, "535 5.7.8 Error: authentication failed");
                    }
                } else if (upper.startsWith("MAIL FROM:") && user != null && authenticatedAs == null) {
                    reply(out, "530 5.7.0 Authentication required");
                } else if (upper.startsWith("MAIL FROM:")) {
                    mailFrom = path(line.substring(10));
                    rcptTo = new ArrayList<>();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String recipient = path(line.substring(8));
                    String rejection = rejections.get(recipient);
                    if (rejection != null) {
                        reply(out, rejection);
                        rejected.incrementAndGet();
                        continue;
                    }
                    rcptTo.add(recipient);
                    reply(out, "250 2.1.5 Ok");
                } else if (upper.equals("DATA") && rcptTo.isEmpty()) {
                    reply(out, "554 5.5.1 No valid recipients");
                } else if (upper.equals("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    received.add(new Received(helo, mailFrom, List.copyOf(rcptTo), readData(in), tls, authenticatedAs));
                    reply(out, "250 2.0.0 Ok: queued");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else {
                    reply(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (SocketException e) {
            // client went away
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            closeQuietly(client);
        }
    }

    /** {@code {user, password}} from AUTH PLAIN (initial response or not) or AUTH LOGIN; null when malformed. */
    private static String[] credentials(String line, InputStream in, OutputStream out) throws IOException {
        String[] words = line.split(" ");
        Base64.Decoder base64 = Base64.getDecoder();
        try {
            if (words[1].equalsIgnoreCase("PLAIN")) {
                String response = words.length > 2 ? words[2] : prompt(out, in, "334 ");
                String[] fields = new String(base64.decode(response), StandardCharsets.UTF_8).split("\0", -1);
                return fields.length == 3 ? new String[] {fields[1], fields[2]} : null;
            }
            if (words[1].equalsIgnoreCase("LOGIN")) {
                String user = new String(base64.decode(prompt(out, in, "334 VXNlcm5hbWU6")), StandardCharsets.UTF_8);
                String password = new String(base64.decode(prompt(out, in, "334 UGFzc3dvcmQ6")), StandardCharsets.UTF_8);
                return new String[] {user, password};
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static String prompt(OutputStream out, InputStream in, String challenge) throws IOException {
        reply(out, challenge);
        String response = readLine(in);
        return response == null ? "" : response;
    }

    private Socket handshake(Socket plain) throws IOException {
        SSLSocket secure = (SSLSocket) tlsContext.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        return secure;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static String path(String argument) {
        String trimmed = argument.trim();
        int end = trimmed.indexOf('>');
        return trimmed.startsWith("<") && end > 0 ? trimmed.substring(1, end) : trimmed.split(" ")[0];
    }

    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine(in);
            if (line == null) {
                // The client went away before the final dot: like a real MTA, keep nothing.
                throw new java.io.EOFException("connection closed in DATA");
            }
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return data.toByteArray();
            }
            int start = line.length > 0 && line[0] == '.' ? 1 : 0;
            data.write(line, start, line.length - start);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] line = readRawLine(in);
        if (line == null) {
            return null;
        }
        return new String(line, StandardCharsets.UTF_8).stripTrailing();
    }

    /** One line including its CRLF, or null at end of stream. */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int current;
        while ((current = in.read()) != -1) {
            line.write(current);
            if (previous == '\r' && current == '\n') {
                return line.toByteArray();
            }
            previous = current;
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        serverSocket.close();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}

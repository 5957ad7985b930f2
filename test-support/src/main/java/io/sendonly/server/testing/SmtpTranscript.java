package io.sendonly.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.net.ssl.SSLSocket;

import io.sendonly.smtp.AcceptAnyCertificate;

/**
 * SMTP over a plain socket, byte for byte, for transcript tests: {@code send("AUTH PLAIN ...");
 * expect("538 5.7.11")}. Unlike {@link SmtpClient}, it writes exactly what it is given (bare LF, NUL, pipelined
 * commands) and reads every reply, so that a reply out of step shows.
 */
public final class SmtpTranscript implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpTranscript(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects from {@code localAddress} (any 127.0.0.0/8 address on Linux) without reading the greeting. */
    public static SmtpTranscript connect(int port, InetAddress localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
        socket.setSoTimeout(30_000);
        return new SmtpTranscript(socket);
    }

    /** Connects, expects the 220 greeting and says EHLO. */
    public static SmtpTranscript greeted(int port, InetAddress localAddress) throws IOException {
        SmtpTranscript transcript = connect(port, localAddress);
        transcript.expect("220");
        return transcript.send("EHLO client.test").expect("250");
    }

    public SmtpTranscript send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    /** Writes the text as it is, no CRLF added. */
    public SmtpTranscript sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpTranscript sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one reply, all its lines, and checks that it starts with {@code prefix}. */
    public SmtpTranscript expect(String prefix) throws IOException {
        String reply = reply();
        assertThat(reply).as("reply").startsWith(prefix);
        return this;
    }

    /** One whole reply (a multi-line reply as one string), or null if the server closed the connection. */
    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                return reply.length() == 0 ? null : reply.toString();
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
            reply.append('\n');
        }
    }

    /** MAIL, RCPT and DATA, each to be accepted, then the message and the final dot; its reply is left to read. */
    public SmtpTranscript transaction(String sender, String recipient, String message) throws IOException {
        send("MAIL FROM:<" + sender + ">").expect("250");
        send("RCPT TO:<" + recipient + ">").expect("250");
        return data(message);
    }

    /** DATA, to get 354, then the message (CRLF lines) and the final dot; its reply is left to read. */
    public SmtpTranscript data(String message) throws IOException {
        send("DATA").expect("354");
        return sendRaw(message + ".\r\n");
    }

    /** AUTH PLAIN with an initial response; returns the reply. */
    public String authPlain(String user, String password) throws IOException {
        String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        send("AUTH PLAIN " + credentials);
        return reply();
    }

    /** STARTTLS trusting any certificate, then EHLO again. */
    public SmtpTranscript startTls() throws Exception {
        send("STARTTLS").expect("220");
        SSLSocket tls = (SSLSocket) AcceptAnyCertificate.context().getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.startHandshake();
        use(tls);
        return send("EHLO client.test").expect("250");
    }

    /** True when the server closed the connection: end of stream, or a reset, within the read timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int current;
        while ((current = in.read()) != -1) {
            if (previous == '\r' && current == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(current);
            previous = current;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

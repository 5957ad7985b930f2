package io.sendonly.deliver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.apache.james.core.MailAddress;

/**
 * The client side of one SMTP connection, command by command. Replies come back as {@link Reply}; only I/O
 * trouble throws. Pipelines MAIL, RCPT and DATA when the server offers PIPELINING (RFC 2920).
 */
final class SmtpSession implements AutoCloseable {
    private static final int MAX_REPLY_LINES = 100;
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9][0-9]([ -].*)?");

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Set<String> extensions = new TreeSet<>();
    private final long openedAt = System.nanoTime();

    private SmtpSession(Socket socket) throws IOException {
        use(socket);
    }

    /** {@link System#nanoTime()} when connected. */
    long openedAt() {
        return openedAt;
    }

    /**
     * Connects; with {@code implicitTls}, the TLS handshake comes first (port 465).
     *
     * @param tlsName the name sent as SNI, and the certificate is checked against when {@code verifyName}
     */
    static SmtpSession connect(InetSocketAddress address, int connectTimeoutMillis, int readTimeoutMillis,
                               SSLContext implicitTls, String tlsName, boolean verifyName) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            return new SmtpSession(implicitTls == null ? socket : handshake(implicitTls, socket, tlsName, verifyName));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Reply greeting() throws IOException {
        return read();
    }

    /** EHLO, remembering the extensions offered; HELO when the server does not know EHLO. */
    Reply hello(String heloName) throws IOException {
        extensions.clear();
        Reply ehlo = command("EHLO " + heloName);
        if (ehlo.code() == 250) {
            ehlo.lines().stream().skip(1).forEach(line -> extensions.add(line.toUpperCase(Locale.ROOT)));
            return ehlo;
        }
        if (ehlo.code() >= 500 && ehlo.code() <= 504) {
            return command("HELO " + heloName);
        }
        return ehlo;
    }

    boolean offers(String extension) {
        String upper = extension.toUpperCase(Locale.ROOT);
        return extensions.stream().anyMatch(line -> line.equals(upper) || line.startsWith(upper + " ") || line.startsWith(upper + "="));
    }

    /** The SASL mechanisms offered in the AUTH line. */
    Set<String> authMechanisms() {
        Set<String> mechanisms = new TreeSet<>();
        extensions.stream().filter(line -> line.startsWith("AUTH ") || line.startsWith("AUTH="))
            .forEach(line -> mechanisms.addAll(List.of(line.substring(5).trim().split("\\s+"))));
        return mechanisms;
    }

    /** STARTTLS; on 220, the handshake. The caller says EHLO again afterwards (RFC 3207). */
    Reply startTls(SSLContext context, String tlsName, boolean verifyName) throws IOException {
        Reply reply = command("STARTTLS");
        if (reply.code() == 220) {
            use(handshake(context, socket, tlsName, verifyName));
            extensions.clear();
        }
        return reply;
    }

    boolean secure() {
        return socket instanceof SSLSocket;
    }

    Reply authPlain(String user, String password) throws IOException {
        return command("AUTH PLAIN " + base64("\0" + user + "\0" + password));
    }

    Reply authLogin(String user, String password) throws IOException {
        Reply reply = command("AUTH LOGIN");
        if (reply.code() != 334) {
            return reply;
        }
        reply = command(base64(user));
        return reply.code() == 334 ? command(base64(password)) : reply;
    }

    /**
     * One mail transaction, recorded in {@code transaction} as replies arrive. Recipients refused at RCPT are not sent
     * the message; when none is accepted, no data is sent. A reply of the wrong kind for its command (a 3xx to RCPT,
     * a 2xx to DATA) is out of step and thrown as a {@link ProtocolViolation}, never read as a success.
     *
     * @param message the message bytes, CRLF line ends, not yet dot-stuffed
     */
    void send(Transaction transaction, String sender, byte[] message, boolean eightBit) throws IOException {
        String mailCommand = "MAIL FROM:<" + sender + ">"
            + (eightBit && offers("8BITMIME") ? " BODY=8BITMIME" : "")
            + (offers("SIZE") ? " SIZE=" + message.length : "");
        List<String> recipients = transaction.recipients().stream().map(MailAddress::asString).toList();
        boolean pipelining = offers("PIPELINING");
        if (pipelining) {
            write(mailCommand);
            for (String recipient : recipients) {
                write("RCPT TO:<" + recipient + ">");
            }
            write("DATA");
            out.flush();
        } else {
            write(mailCommand);
            out.flush();
        }
        transaction.mail(expect(read(), "MAIL", 2, 4, 5));
        if (!pipelining && !transaction.mail().orElseThrow().positive()) {
            return;
        }
        for (String recipient : recipients) {
            if (!pipelining) {
                write("RCPT TO:<" + recipient + ">");
                out.flush();
            }
            transaction.recipient(expect(read(), "RCPT", 2, 4, 5));
        }
        if (!pipelining) {
            if (!transaction.anyRecipientAccepted()) {
                command("RSET");
                return;
            }
            write("DATA");
            out.flush();
        }
        Reply data = read();
        if (data.code() != 354) {
            transaction.data(expect(data, "DATA", 4, 5));
            return;
        }
        transaction.data(data);
        if (!transaction.mail().orElseThrow().positive() || !transaction.anyRecipientAccepted()) {
            // Pipelined: the server said 354 although nothing was accepted; end the empty message (RFC 2920 3.1).
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            read();
            return;
        }
        writeDotStuffed(message);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        transaction.dotSent();
        transaction.dot(expect(read(), "end of data", 2, 4, 5));
    }

    /** The reply, when its class is one of {@code classes}; out of step otherwise. */
    private static Reply expect(Reply reply, String command, int... classes) throws ProtocolViolation {
        for (int expected : classes) {
            if (reply.code() / 100 == expected) {
                return reply;
            }
        }
        throw new ProtocolViolation("reply '" + reply + "' to " + command + " is out of step");
    }

    Reply reset() throws IOException {
        return command("RSET");
    }

    /** QUIT without waiting for trouble: the connection closes either way. */
    void quit() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private Reply command(String command) throws IOException {
        write(command);
        out.flush();
        return read();
    }

    private void write(String command) throws IOException {
        out.write(command.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private void writeDotStuffed(byte[] message) throws IOException {
        boolean lineStart = true;
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            if (lineStart && message[i] == '.') {
                out.write(message, from, i - from);
                out.write('.');
                from = i;
            }
            lineStart = message[i] == '\n';
        }
        out.write(message, from, message.length - from);
        if (message.length > 0 && message[message.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
    }

    /** A reply: every line three digits, 2xx to 5xx, the same on every line, then a space, a hyphen or nothing. */
    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        String code = null;
        while (lines.size() < MAX_REPLY_LINES) {
            String line = readLine();
            if (!REPLY_LINE.matcher(line).matches()) {
                throw new ProtocolViolation("malformed reply '" + printable(line) + "'");
            }
            if (code != null && !line.startsWith(code)) {
                throw new ProtocolViolation("reply lines with different codes: " + code + " then '" + printable(line) + "'");
            }
            code = line.substring(0, 3);
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(code), List.copyOf(lines));
            }
        }
        throw new ProtocolViolation("reply longer than " + MAX_REPLY_LINES + " lines");
    }

    /** At most 80 characters of a reply line, control characters shown as '?', for an error message. */
    private static String printable(String line) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return shown.codePoints().map(c -> c < ' ' || c == 127 ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r' && line.size() < 4096) {
                line.write(c);
            }
        }
        if (c == -1) {
            throw new IOException("connection closed by the server");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    private static SSLSocket handshake(SSLContext context, Socket plain, String tlsName, boolean verifyName) throws IOException {
        SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(plain, tlsName, plain.getPort(), true);
        secure.setUseClientMode(true);
        if (verifyName) {
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
        }
        secure.startHandshake();
        return secure;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}

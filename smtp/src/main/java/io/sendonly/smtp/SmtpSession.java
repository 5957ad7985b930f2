package io.sendonly.smtp;

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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The client side of one SMTP connection, command by command. Replies come back as {@link Reply}; only I/O
 * trouble throws, and a reply that is malformed or out of step with its command is a {@link ProtocolViolation}.
 * {@link #send} pipelines MAIL, RCPT and DATA when the server offers PIPELINING (RFC 2920); {@link #mail},
 * {@link #rcpt} and {@link #data} are the same steps one at a time, for a caller whose policy needs each reply first.
 */
public final class SmtpSession implements AutoCloseable {
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
    public long openedAt() {
        return openedAt;
    }

    /**
     * Connects; with {@code implicitTls}, the TLS handshake comes first (port 465).
     *
     * @param tlsName the name sent as SNI, and the certificate is checked against when {@code verifyName}
     */
    public static SmtpSession connect(InetSocketAddress address, int connectTimeoutMillis, int readTimeoutMillis,
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

    public Reply greeting() throws IOException {
        return read();
    }

    /** EHLO, remembering the extensions offered; HELO when the server does not know EHLO. */
    public Reply hello(String heloName) throws IOException {
        Reply ehlo = ehlo(heloName);
        return ehlo.code() >= 500 && ehlo.code() <= 504 ? command("HELO " + heloName) : ehlo;
    }

    /** EHLO alone, remembering the extensions offered: for a server known to speak ESMTP. */
    public Reply ehlo(String heloName) throws IOException {
        extensions.clear();
        Reply ehlo = command("EHLO " + heloName);
        if (ehlo.code() == 250) {
            ehlo.lines().stream().skip(1).forEach(line -> extensions.add(line.toUpperCase(Locale.ROOT)));
        }
        return ehlo;
    }

    public boolean offers(String extension) {
        String upper = extension.toUpperCase(Locale.ROOT);
        return extensions.stream().anyMatch(line -> line.equals(upper) || line.startsWith(upper + " ") || line.startsWith(upper + "="));
    }

    /** The SASL mechanisms offered in the AUTH line. */
    public Set<String> authMechanisms() {
        Set<String> mechanisms = new TreeSet<>();
        extensions.stream().filter(line -> line.startsWith("AUTH ") || line.startsWith("AUTH="))
            .forEach(line -> mechanisms.addAll(List.of(line.substring(5).trim().split("\\s+"))));
        return mechanisms;
    }

    /** STARTTLS; on 220, the handshake. The caller says EHLO again afterwards (RFC 3207). */
    public Reply startTls(SSLContext context, String tlsName, boolean verifyName) throws IOException {
        Reply reply = command("STARTTLS");
        if (reply.code() == 220) {
            use(handshake(context, socket, tlsName, verifyName));
            extensions.clear();
        }
        return reply;
    }

    public boolean secure() {
        return socket instanceof SSLSocket;
    }

    /** The negotiated TLS session (its protocol and cipher suite, for the delivery record); empty in clear text. */
    public Optional<SSLSession> tls() {
        return socket instanceof SSLSocket secure ? Optional.of(secure.getSession()) : Optional.empty();
    }

    public Reply authPlain(String user, String password) throws IOException {
        return command("AUTH PLAIN " + base64("\0" + user + "\0" + password));
    }

    public Reply authLogin(String user, String password) throws IOException {
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
    public void send(TransactionRecord transaction, String sender, byte[] message, boolean eightBit) throws IOException {
        List<String> recipients = transaction.forwardPaths();
        boolean pipelining = offers("PIPELINING");
        write(mailCommand(sender, message.length, eightBit));
        if (pipelining) {
            for (String recipient : recipients) {
                write(rcptCommand(recipient));
            }
            write("DATA");
        }
        out.flush();
        Reply mail = expect(read(), "MAIL", 2, 4, 5);
        transaction.mail(mail);
        if (!pipelining && !mail.positive()) {
            return;
        }
        boolean anyAccepted = false;
        for (String recipient : recipients) {
            Reply rcpt = pipelining ? expect(read(), "RCPT", 2, 4, 5) : rcpt(recipient);
            transaction.recipient(rcpt);
            anyAccepted |= rcpt.positive();
        }
        if (!pipelining) {
            if (!anyAccepted) {
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
        if (!mail.positive() || !anyAccepted) {
            // Pipelined: the server said 354 although nothing was accepted; end the empty message (RFC 2920 3.1).
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            read();
            return;
        }
        writeMessage(message);
        transaction.dotSent();
        transaction.dot(expect(read(), "end of data", 2, 4, 5));
    }

    /** MAIL FROM, with BODY=8BITMIME and SIZE when the server offers them. */
    public Reply mail(String sender, int size, boolean eightBit) throws IOException {
        return expect(command(mailCommand(sender, size, eightBit)), "MAIL", 2, 4, 5);
    }

    public Reply rcpt(String recipient) throws IOException {
        return expect(command(rcptCommand(recipient)), "RCPT", 2, 4, 5);
    }

    /**
     * DATA, and on 354 the message and its final dot.
     *
     * @param message the message bytes, CRLF line ends, not yet dot-stuffed
     * @return the refusal of DATA, or the reply to the final dot
     */
    public Reply data(byte[] message) throws IOException {
        Reply data = command("DATA");
        if (data.code() != 354) {
            return expect(data, "DATA", 4, 5);
        }
        writeMessage(message);
        return expect(read(), "end of data", 2, 4, 5);
    }

    private String mailCommand(String sender, int size, boolean eightBit) {
        return "MAIL FROM:<" + sender + ">"
            + (eightBit && offers("8BITMIME") ? " BODY=8BITMIME" : "")
            + (offers("SIZE") ? " SIZE=" + size : "");
    }

    private static String rcptCommand(String recipient) {
        return "RCPT TO:<" + recipient + ">";
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

    public Reply reset() throws IOException {
        return command("RSET");
    }

    /** QUIT without waiting for trouble: the connection closes either way. */
    public void quit() {
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

    private void writeMessage(byte[] message) throws IOException {
        writeData(out, message);
        out.flush();
    }

    /** The message dot-stuffed (RFC 5321 4.5.2), a line end added when it lacks one, and the final dot. */
    static void writeData(OutputStream out, byte[] message) throws IOException {
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
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
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

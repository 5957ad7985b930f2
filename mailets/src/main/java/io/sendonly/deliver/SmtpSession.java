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

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The client side of one SMTP connection, command by command. Replies come back as {@link Reply}; only I/O
 * trouble throws. Pipelines MAIL, RCPT and DATA when the server offers PIPELINING (RFC 2920).
 */
final class SmtpSession implements AutoCloseable {
    /** What the server answered to one transaction: the MAIL reply, one reply per recipient, the DATA outcome. */
    record TransactionReplies(Reply mail, List<Reply> recipients, Reply data) {
    }

    private static final int MAX_REPLY_LINES = 100;

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
     * One mail transaction. Recipients refused at RCPT are not sent the message; when none is accepted, no data
     * is sent and {@code data} is the reply that ended the transaction.
     *
     * @param message the message bytes, CRLF line ends, not yet dot-stuffed
     */
    TransactionReplies send(String sender, List<String> recipients, byte[] message, boolean eightBit) throws IOException {
        String mailCommand = "MAIL FROM:<" + sender + ">"
            + (eightBit && offers("8BITMIME") ? " BODY=8BITMIME" : "")
            + (offers("SIZE") ? " SIZE=" + message.length : "");
        List<Reply> recipientReplies = new ArrayList<>();
        Reply mail;
        Reply data;
        if (offers("PIPELINING")) {
            write(mailCommand);
            for (String recipient : recipients) {
                write("RCPT TO:<" + recipient + ">");
            }
            write("DATA");
            out.flush();
            mail = read();
            for (int i = 0; i < recipients.size(); i++) {
                recipientReplies.add(read());
            }
            data = read();
        } else {
            mail = command(mailCommand);
            if (!mail.positive()) {
                return new TransactionReplies(mail, List.of(), mail);
            }
            for (String recipient : recipients) {
                recipientReplies.add(command("RCPT TO:<" + recipient + ">"));
            }
            if (recipientReplies.stream().noneMatch(Reply::positive)) {
                command("RSET");
                return new TransactionReplies(mail, recipientReplies, recipientReplies.get(recipientReplies.size() - 1));
            }
            data = command("DATA");
        }
        if (data.code() != 354) {
            return new TransactionReplies(mail, recipientReplies, data);
        }
        if (!mail.positive() || recipientReplies.stream().noneMatch(Reply::positive)) {
            // Pipelined: the server said 354 although nothing was accepted; end the empty message (RFC 2920 3.1).
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            read();
            return new TransactionReplies(mail, recipientReplies, mail.positive() ? recipientReplies.get(0) : mail);
        }
        writeDotStuffed(message);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new TransactionReplies(mail, recipientReplies, read());
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

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_REPLY_LINES) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0))) {
                throw new IOException("malformed reply '" + line + "'");
            }
            boolean more = line.length() > 3 && line.charAt(3) == '-';
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (!more) {
                return new Reply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
            }
        }
        throw new IOException("reply longer than " + MAX_REPLY_LINES + " lines");
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

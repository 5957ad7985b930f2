package io.sendonly.server.testing;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.util.List;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

import io.sendonly.smtp.AcceptAnyCertificate;

/** A real SMTP client (commons-net) that keeps the last reply, for transcript-like tests. */
public final class SmtpClient implements AutoCloseable {
    private final AuthenticatingSMTPClient client;

    private SmtpClient(AuthenticatingSMTPClient client) {
        this.client = client;
    }

    public static SmtpClient connect(int port) throws IOException {
        return connect(port, InetAddress.getByName("127.0.0.1"));
    }

    /** Connects from {@code localAddress}: any 127.0.0.0/8 address works on Linux loopback. */
    public static SmtpClient connect(int port, InetAddress localAddress) throws IOException {
        return connect(port, localAddress, "UTF-8");
    }

    /** A client whose messages are ISO-8859-1 strings, one character per octet: for octets of any charset, or none. */
    public static SmtpClient connectForOctets(int port) throws IOException {
        return connect(port, InetAddress.getByName("127.0.0.1"), "ISO-8859-1");
    }

    private static SmtpClient connect(int port, InetAddress localAddress, String encoding) throws IOException {
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient("TLS", encoding);
        client.setDefaultTimeout(30_000);
        client.connect(InetAddress.getByName("127.0.0.1"), port, localAddress, 0);
        client.setSoTimeout(30_000);
        SmtpClient smtp = new SmtpClient(client);
        smtp.client.ehlo("client.test");
        return smtp;
    }

    public String lastReply() {
        return client.getReplyString().trim();
    }

    public int lastCode() {
        return client.getReplyCode();
    }

    public String ehlo() throws IOException {
        client.ehlo("client.test");
        return lastReply();
    }

    /** STARTTLS trusting the server's (self-signed) certificate, then EHLO again. */
    public void startTls() throws Exception {
        client.setTrustManager(new AcceptAnyCertificate());
        if (!client.execTLS()) {
            throw new IOException("STARTTLS refused: " + lastReply());
        }
        client.ehlo("client.test");
    }

    public boolean authPlain(String user, String password) throws Exception {
        return client.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, user, password);
    }

    public int mailFrom(String sender) throws IOException {
        return client.mail("<" + sender + ">");
    }

    public int rcptTo(String recipient) throws IOException {
        return client.rcpt("<" + recipient + ">");
    }

    /** DATA with the message as given (CRLF lines); returns the final reply code. */
    public int data(String message) throws IOException {
        Writer writer = client.sendMessageData();
        if (writer == null) {
            return client.getReplyCode();
        }
        writer.write(message);
        writer.close();
        client.completePendingCommand();
        return client.getReplyCode();
    }

    /** One whole transaction; throws unless every step is accepted. */
    public void send(String sender, String recipient, String message) throws IOException {
        send(sender, List.of(recipient), message);
    }

    public void send(String sender, List<String> recipients, String message) throws IOException {
        expect(mailFrom(sender));
        for (String recipient : recipients) {
            expect(rcptTo(recipient));
        }
        expect(data(message));
    }

    private void expect(int code) throws IOException {
        if (!SMTPReply.isPositiveCompletion(code)) {
            throw new IOException("refused: " + lastReply());
        }
    }

    @Override
    public void close() throws IOException {
        if (client.isConnected()) {
            try {
                client.logout();
            } finally {
                client.disconnect();
            }
        }
    }
}

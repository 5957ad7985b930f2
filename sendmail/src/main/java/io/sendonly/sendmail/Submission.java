package io.sendonly.sendmail;

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

import javax.net.ssl.SSLException;

/**
 * One SMTP transaction with the local server. What a later attempt may fix is temporary (the caller spools to the
 * maildrop): no connection, a connection lost, a 4xx reply. A 5xx reply at any step is final and has its sysexits
 * code ({@link SendmailException#exitCode(String, int)}), as does a reply that is not SMTP or a failed TLS handshake.
 */
final class Submission {
    /** Thrown for what a later attempt may fix: no server, or a 4xx reply. */
    static final class Temporary extends Exception {
        Temporary(String message) {
            super(message);
        }
    }

    /** A recipient the server refused for good, with its reply. */
    record Refused(String recipient, String reply) {
        @Override
        public String toString() {
            return "<" + recipient + ">: " + reply;
        }
    }

    private static final int TIMEOUT_MILLIS = 60_000;

    private Submission() {
    }

    /** @return the recipients refused for good (empty when all were accepted); the others got the message */
    static List<Refused> submit(Settings settings, String sender, List<String> recipients, byte[] message)
        throws Temporary, SendmailException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), TIMEOUT_MILLIS);
            } catch (IOException e) {
                throw new Temporary("cannot reach " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
            }
            socket.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            check(read(in), "greeting", SendmailException.EX_UNAVAILABLE);
            send(out, "EHLO localhost");
            check(read(in), "EHLO", SendmailException.EX_UNAVAILABLE);
            if (settings.user().isPresent()) {
                send(out, "STARTTLS");
                check(read(in), "STARTTLS", SendmailException.EX_UNAVAILABLE);
                Socket secure = Tls.wrap(socket, settings.host());
                in = new BufferedInputStream(secure.getInputStream());
                out = new BufferedOutputStream(secure.getOutputStream());
                send(out, "EHLO localhost");
                check(read(in), "EHLO after STARTTLS", SendmailException.EX_UNAVAILABLE);
                String plain = Base64.getEncoder().encodeToString(("\0" + settings.user().get() + "\0" + settings.password().get())
                    .getBytes(StandardCharsets.UTF_8));
                send(out, "AUTH PLAIN " + plain);
                check(read(in), "authentication as " + settings.user().get(), SendmailException.EX_NOPERM);
            }
            send(out, "MAIL FROM:<" + sender + ">");
            check(read(in), "sender <" + sender + ">", SendmailException.EX_UNAVAILABLE);
            List<Refused> refused = new ArrayList<>();
            for (String recipient : recipients) {
                send(out, "RCPT TO:<" + recipient + ">");
                String reply = read(in);
                if (reply.startsWith("5")) {
                    refused.add(new Refused(recipient, reply));
                } else {
                    check(reply, "recipient <" + recipient + ">", SendmailException.EX_NOUSER);
                }
            }
            if (refused.size() == recipients.size()) {
                send(out, "QUIT");
                return refused;
            }
            send(out, "DATA");
            check(read(in), "DATA", SendmailException.EX_UNAVAILABLE);
            out.write(dotStuff(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            check(read(in), "message", SendmailException.EX_UNAVAILABLE);
            send(out, "QUIT");
            return refused;
        } catch (SSLException e) {
            throw new SendmailException(SendmailException.EX_UNAVAILABLE, "TLS with " + settings.host() + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new Temporary("connection to " + settings.host() + ":" + settings.port() + " lost: " + e.getMessage());
        }
    }

    /** Passes 2xx and 3xx; 4xx is temporary, 5xx final with its exit code, anything else a protocol error. */
    private static void check(String reply, String step, int fallback) throws Temporary, SendmailException {
        if (reply.startsWith("2") || reply.startsWith("3")) {
            return;
        }
        if (reply.startsWith("4")) {
            throw new Temporary(step + ": " + reply);
        }
        if (reply.startsWith("5")) {
            throw new SendmailException(SendmailException.exitCode(reply, fallback), step + " refused: " + reply);
        }
        throw new SendmailException(SendmailException.EX_PROTOCOL, step + ": not an SMTP reply: " + reply);
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A whole reply, multi-line replies joined; its last line's code first. */
    private static String read(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.write(c);
                }
            }
            if (c == -1 && line.size() == 0) {
                throw new IOException("connection closed by the server");
            }
            String text = line.toString(StandardCharsets.UTF_8);
            if (text.length() >= 4 && text.charAt(3) == '-') {
                reply.append(text.substring(4)).append(' ');
                continue;
            }
            return text + (reply.length() > 0 ? " (" + reply.toString().trim() + ")" : "");
        }
    }

    static byte[] dotStuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }
}

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

/**
 * One SMTP transaction with the local server. Connection trouble and 4xx replies are temporary (the caller spools
 * to the maildrop); 5xx replies are permanent and mapped to sysexits codes.
 */
final class Submission {
    /** Thrown for what a later attempt may fix: no server, or a 4xx reply. */
    static final class Temporary extends Exception {
        Temporary(String message) {
            super(message);
        }
    }

    private static final int TIMEOUT_MILLIS = 60_000;

    private Submission() {
    }

    /** @return the recipients refused permanently, with their replies (empty when all were accepted) */
    static List<String> submit(Settings settings, String sender, List<String> recipients, byte[] message)
        throws Temporary, SendmailException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            expect(read(in), "greeting");
            send(out, "EHLO localhost");
            expect(read(in), "EHLO");
            if (settings.user().isPresent()) {
                send(out, "STARTTLS");
                expect(read(in), "STARTTLS");
                Socket secure = Tls.wrap(socket, settings.host());
                in = new BufferedInputStream(secure.getInputStream());
                out = new BufferedOutputStream(secure.getOutputStream());
                send(out, "EHLO localhost");
                expect(read(in), "EHLO after STARTTLS");
                String plain = Base64.getEncoder().encodeToString(("\0" + settings.user().get() + "\0" + settings.password().get())
                    .getBytes(StandardCharsets.UTF_8));
                send(out, "AUTH PLAIN " + plain);
                String auth = read(in);
                if (auth.startsWith("5")) {
                    throw new SendmailException(SendmailException.EX_UNAVAILABLE, "authentication as " + settings.user().get() + " refused: " + auth);
                }
                expect(auth, "AUTH");
            }
            send(out, "MAIL FROM:<" + sender + ">");
            String mail = read(in);
            if (mail.startsWith("5")) {
                throw new SendmailException(SendmailException.EX_UNAVAILABLE, "sender <" + sender + "> refused: " + mail);
            }
            expect(mail, "MAIL FROM");
            List<String> refused = new ArrayList<>();
            int accepted = 0;
            for (String recipient : recipients) {
                send(out, "RCPT TO:<" + recipient + ">");
                String reply = read(in);
                if (reply.startsWith("5")) {
                    refused.add("<" + recipient + ">: " + reply);
                } else {
                    expect(reply, "RCPT TO");
                    accepted++;
                }
            }
            if (accepted == 0) {
                send(out, "QUIT");
                return refused;
            }
            send(out, "DATA");
            expect(read(in), "DATA");
            out.write(dotStuff(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String end = read(in);
            if (end.startsWith("5")) {
                throw new SendmailException(SendmailException.EX_UNAVAILABLE, "message refused: " + end);
            }
            expect(end, "end of DATA");
            send(out, "QUIT");
            return refused;
        } catch (IOException e) {
            throw new Temporary("cannot reach " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
        }
    }

    private static void expect(String reply, String step) throws Temporary, IOException {
        if (reply.startsWith("2") || reply.startsWith("3")) {
            return;
        }
        if (reply.startsWith("4")) {
            throw new Temporary(step + ": " + reply);
        }
        throw new IOException(step + ": unexpected reply " + reply);
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

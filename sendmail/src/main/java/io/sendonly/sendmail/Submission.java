package io.sendonly.sendmail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.sendonly.smtp.AcceptAnyCertificate;
import io.sendonly.smtp.ProtocolViolation;
import io.sendonly.smtp.Reply;
import io.sendonly.smtp.SmtpSession;

/**
 * One SMTP transaction with the local server. What a later attempt may fix is temporary (the caller spools to the
 * maildrop): no connection, a connection lost, a 4xx reply. A 5xx reply at any step is final and has its sysexits
 * code ({@link SendmailException#exitCode(String, int)}), as does a reply that is not SMTP or a failed TLS handshake.
 * Commands go one at a time: a recipient deferred stops the transaction before DATA, so that the whole message is
 * spooled and none of its recipients gets it twice.
 *
 * <p>STARTTLS comes before AUTH. The local server's certificate is self-signed (generated at its first start): on a
 * loopback connection, where nothing can be in between, it is accepted as is; to any other host the JDK's trust
 * store and host name verification apply.
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
    private static final String HELO_NAME = "localhost";

    private Submission() {
    }

    /** @return the recipients refused for good (empty when all were accepted); the others got the message */
    static List<Refused> submit(Settings settings, String sender, List<String> recipients, byte[] message)
        throws Temporary, SendmailException {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        SmtpSession session;
        try {
            session = SmtpSession.connect(address, TIMEOUT_MILLIS, TIMEOUT_MILLIS, null, settings.host(), false);
        } catch (IOException e) {
            throw new Temporary("cannot reach " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
        }
        try (session) {
            check(session.greeting(), "greeting", SendmailException.EX_UNAVAILABLE);
            check(session.ehlo(HELO_NAME), "EHLO", SendmailException.EX_UNAVAILABLE);
            if (settings.user().isPresent()) {
                boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
                check(session.startTls(tlsContext(loopback), settings.host(), !loopback), "STARTTLS", SendmailException.EX_UNAVAILABLE);
                check(session.ehlo(HELO_NAME), "EHLO after STARTTLS", SendmailException.EX_UNAVAILABLE);
                check(session.authPlain(settings.user().get(), settings.password().get()),
                    "authentication as " + settings.user().get(), SendmailException.EX_NOPERM);
            }
            check(session.mail(sender, message.length, false), "sender <" + sender + ">", SendmailException.EX_UNAVAILABLE);
            List<Refused> refused = new ArrayList<>();
            for (String recipient : recipients) {
                Reply reply = session.rcpt(recipient);
                if (reply.code() >= 500) {
                    refused.add(new Refused(recipient, reply.toString()));
                } else {
                    check(reply, "recipient <" + recipient + ">", SendmailException.EX_NOUSER);
                }
            }
            if (refused.size() < recipients.size()) {
                check(session.data(message), "message", SendmailException.EX_UNAVAILABLE);
            }
            session.quit();
            return refused;
        } catch (SSLException e) {
            throw new SendmailException(SendmailException.EX_UNAVAILABLE, "TLS with " + settings.host() + " failed: " + e.getMessage());
        } catch (ProtocolViolation e) {
            throw new SendmailException(SendmailException.EX_PROTOCOL, "not an SMTP conversation with " + settings.host() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Temporary("connection to " + settings.host() + ":" + settings.port() + " lost: " + e.getMessage());
        }
    }

    /** Passes 2xx; 4xx is temporary, 5xx final with its exit code (by its enhanced status, else {@code fallback}). */
    private static void check(Reply reply, String step, int fallback) throws Temporary, SendmailException {
        if (reply.code() < 300) {
            return;
        }
        if (reply.transientFailure()) {
            throw new Temporary(step + ": " + reply);
        }
        if (reply.code() >= 500) {
            throw new SendmailException(SendmailException.exitCode(reply.toString(), fallback), step + " refused: " + reply);
        }
        throw new SendmailException(SendmailException.EX_PROTOCOL, step + ": reply out of step: " + reply);
    }

    private static SSLContext tlsContext(boolean loopback) throws SSLException {
        try {
            return loopback ? AcceptAnyCertificate.context() : SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new SSLException("no TLS context: " + e.getMessage(), e);
        }
    }
}

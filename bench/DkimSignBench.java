import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.List;

import io.sendonly.dkim.DkimSigner;
import io.sendonly.dkim.RawMessage;
import io.sendonly.dkim.SignatureSettings;
import io.sendonly.dkim.SigningEngine;
import io.sendonly.dkim.SigningKey;

/**
 * Signatures per second on one thread (one core): the raw JDK Signature over the same amount of data, against
 * our DkimSigner on a 2 KB message (parse, canonicalize, hash the body, sign) with the key prepared as the server
 * prepares it (SigningEngine: BoringSSL for RSA, Bouncy Castle for Ed25519). Run by bench/sign-speed.sh.
 */
public class DkimSignBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        byte[] message = message();
        System.out.println("ours: " + SigningEngine.get().description());
        System.out.printf("%-12s %14s %14s %8s%n", "algorithm", "JDK signs/s", "ours signs/s", "ratio");
        for (String algorithm : List.of("rsa-2048", "ed25519")) {
            KeyPair pair = keyPair(algorithm);
            SigningKey key = new SigningKey("example.com", "bench", SigningEngine.get().prepare(pair.getPrivate()));
            DkimSigner signer = new DkimSigner(SignatureSettings.DEFAULT);
            byte[] headerData = new byte[400];
            Runnable jdk = () -> rawSign(algorithm, pair, headerData);
            Runnable ours = () -> signer.sign(RawMessage.parse(message), key, Instant.now());
            rate(jdk, 1);
            rate(ours, 1);
            double jdkRate = rate(jdk, seconds);
            double ourRate = rate(ours, seconds);
            System.out.printf("%-12s %14.0f %14.0f %8.2f%n", algorithm, jdkRate, ourRate, ourRate / jdkRate);
        }
    }

    private static void rawSign(String algorithm, KeyPair pair, byte[] data) {
        try {
            boolean rsa = algorithm.startsWith("rsa");
            Signature signature = Signature.getInstance(rsa ? "SHA256withRSA" : "Ed25519");
            signature.initSign(pair.getPrivate());
            signature.update(rsa ? data : MessageDigest.getInstance("SHA-256").digest(data));
            signature.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double rate(Runnable task, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() < end) {
            task.run();
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static KeyPair keyPair(String algorithm) throws Exception {
        if (algorithm.startsWith("rsa")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static byte[] message() {
        StringBuilder body = new StringBuilder();
        while (body.length() < 1800) {
            body.append("Your password reset code is 123456. It expires in 15 minutes.  \r\n");
        }
        return ("From: App <app@example.com>\r\nTo: user@example.net\r\nSubject: Reset your password\r\n"
            + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }
}

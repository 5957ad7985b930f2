package io.sendonly.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.impl.BodyHasherImpl;
import org.apache.james.jdkim.impl.CompoundBodyHasher;
import org.apache.james.jdkim.impl.Message;
import org.apache.james.mime4j.MimeException;

import io.sendonly.dkim.IndependentVerifiers.Result;

/**
 * Apache jDKIM 0.3, the library of James's own DKIM mailets, in the JVM: the verifier of a machine with only JDK and
 * Maven. It knows rsa-sha1 and rsa-sha256; an ed25519-sha256 signature is reported and not judged.
 */
final class JdkimVerifier {
    static final String NAME = "jDKIM";

    private JdkimVerifier() {
    }

    /**
     * The scripts' verdict: a pass needs a judged signature with d={@code domain} and all those judged passing;
     * {@link Result#NOT_JUDGED} when the domain's signatures are all ed25519-sha256.
     */
    static Result verify(byte[] message, String domain, Map<String, String> txtRecords) throws IOException {
        DKIMVerifier verifier = new DKIMVerifier(retriever(txtRecords));
        Message parsed;
        try {
            parsed = new Message(new ByteArrayInputStream(message));
        } catch (MimeException e) {
            return new Result(NAME, Result.FAIL, "cannot parse the message: " + e.getMessage());
        }
        try {
            Map<String, String> failures = failures(verifier, parsed);
            StringBuilder output = new StringBuilder();
            int judged = 0;
            int ed25519 = 0;
            boolean allPassed = true;
            for (String field : parsed.getFields("DKIM-Signature")) {
                SignatureRecord signature = verifier.newSignatureRecord(field.substring(field.indexOf(':') + 1));
                String keyType = signature.getHashKeyType().toString().toLowerCase(Locale.ROOT);
                output.append("d=").append(signature.getDToken()).append(" s=").append(signature.getSelector()).append(" k=").append(keyType);
                if (!domain.equalsIgnoreCase(signature.getDToken().toString())) {
                    output.append(": another domain's, not judged\n");
                } else if (keyType.equals("ed25519")) {
                    output.append(": not judged, jDKIM has no ed25519-sha256\n");
                    ed25519++;
                } else {
                    String failure = failures.get(field);
                    output.append(failure == null ? ": pass\n" : ": fail, " + failure + "\n");
                    judged++;
                    allPassed = allPassed && failure == null;
                }
            }
            int exitCode = judged == 0 && ed25519 > 0 ? Result.NOT_JUDGED : judged > 0 && allPassed ? Result.PASS : Result.FAIL;
            return new Result(NAME, exitCode, output.toString());
        } finally {
            parsed.dispose();
        }
    }

    /**
     * Why each DKIM-Signature field fails, none for those that verify. Through jDKIM's body hasher: its
     * {@code verify()} names only the signatures that pass, and errs on the empty body (below).
     */
    private static Map<String, String> failures(DKIMVerifier verifier, Message parsed) throws IOException {
        Map<String, String> failures = new HashMap<>();
        CompoundBodyHasher hasher;
        try {
            hasher = (CompoundBodyHasher) verifier.newBodyHasher(parsed);
        } catch (FailException e) {
            // No header hash verified.
            parsed.getFields("DKIM-Signature").forEach(field -> failures.put(field, e.getMessage()));
            return failures;
        }
        if (hasher == null) {
            return failures;
        }
        hasher.getSignatureExceptions().forEach((field, e) -> failures.put(field, e.getMessage()));
        byte[] body = parsed.getBodyInputStream().readAllBytes();
        try (OutputStream out = hasher.getOutputStream()) {
            out.write(body);
        }
        for (Map.Entry<String, BodyHasherImpl> job : hasher.getBodyHashJobs().entrySet()) {
            SignatureRecord signature = job.getValue().getSignatureRecord();
            if (!Arrays.equals(job.getValue().getDigest(), signature.getBodyHash()) && !emptyRelaxedBody(signature, body)) {
                failures.put(job.getKey(), "body hash differs");
            }
        }
        return failures;
    }

    /**
     * A relaxed signature over a body of blank lines, whose bh= is the hash of nothing (RFC 6376 3.4.4): jDKIM 0.3
     * hashes CRLF, the rule of RFC 4871 that RFC 6376 changed, so this case alone is judged here.
     */
    private static boolean emptyRelaxedBody(SignatureRecord signature, byte[] body) {
        if (!SignatureRecord.RELAXED.equals(signature.getBodyCanonicalisationMethod())) {
            return false;
        }
        for (byte b : body) {
            if (" \t\r\n".indexOf(b) < 0) {
                return false;
            }
        }
        try {
            return Arrays.equals(MessageDigest.getInstance(signature.getHashAlgo().toString()).digest(), signature.getBodyHash());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DNS for jDKIM: the TXT record of {@code selector._domainkey.domain} from the map, none for other names. */
    private static PublicKeyRecordRetriever retriever(Map<String, String> txtRecords) {
        return (method, selector, domain) -> Optional.ofNullable(txtRecords.get(selector + "._domainkey." + domain))
            .map(List::of).orElse(List.of());
    }
}

package io.sendonly.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Computes one DKIM-Signature header field (RFC 6376, RFC 8463) for a message. Stateless, thread-safe. */
public final class DkimSigner {
    public static final String HEADER = "DKIM-Signature";
    private static final int FOLD_WIDTH = 72;

    private final SignatureSettings settings;

    public DkimSigner(SignatureSettings settings) {
        this.settings = settings;
    }

    /** @return the field to prepend, folded, without the final CRLF */
    public String sign(RawMessage message, SigningKey key, Instant now) {
        List<String> signed = selectHeaders(message);
        List<String> names = new ArrayList<>();
        signed.forEach(field -> names.add(RawMessage.nameOf(field)));
        for (String oversigned : settings.oversignedHeaders()) {
            if (settings.signedHeaders().contains(oversigned)) {
                // One more name than instances: a verifier sees a null header, so none can be added later.
                names.add(oversigned);
            }
        }

        long timestamp = now.getEpochSecond();
        StringBuilder tags = new StringBuilder(HEADER).append(": v=1; a=").append(key.algorithm().tagValue())
            .append("; c=").append(settings.headerCanonicalization().tagValue()).append('/').append(settings.bodyCanonicalization().tagValue())
            .append(";\r\n\td=").append(key.domain()).append("; s=").append(key.selector())
            .append(";\r\n\tt=").append(timestamp);
        settings.expiration().ifPresent(validity -> tags.append("; x=").append(timestamp + validity.getSeconds()));
        tags.append(";\r\n\th=").append(foldNames(names))
            .append(";\r\n\tbh=").append(bodyHash(message))
            .append(";\r\n\tb=");
        String unsigned = tags.toString();

        StringBuilder data = new StringBuilder();
        signed.forEach(field -> data.append(settings.headerCanonicalization().header(field)));
        String canonicalSignature = settings.headerCanonicalization().header(unsigned);
        data.append(canonicalSignature, 0, canonicalSignature.length() - 2);

        return unsigned + fold(signature(key, data.toString().getBytes(StandardCharsets.UTF_8)), "b=".length());
    }

    /** For each signed name present, every instance, bottom-up pairing as RFC 6376 §5.4.2 requires. */
    private List<String> selectHeaders(RawMessage message) {
        List<String> selected = new ArrayList<>();
        for (String name : settings.signedHeaders()) {
            List<String> instances = message.fields(name);
            for (int i = instances.size() - 1; i >= 0; i--) {
                selected.add(instances.get(i));
            }
        }
        return selected;
    }

    private String bodyHash(RawMessage message) {
        return Base64.getEncoder().encodeToString(SigningEngine.sha256(settings.bodyCanonicalization().body(message.body())));
    }

    private static String signature(SigningKey key, byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(SigningEngine.get().sign(key.privateKey(), data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing with " + key + " failed", e);
        }
    }

    /** h= folded after a colon, where RFC 6376 allows FWS. */
    private static String foldNames(List<String> names) {
        StringBuilder folded = new StringBuilder();
        int lineLength = "h=".length();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) + (i < names.size() - 1 ? ":" : "");
            if (lineLength + name.length() > FOLD_WIDTH) {
                folded.append("\r\n\t ");
                lineLength = 0;
            }
            folded.append(name);
            lineLength += name.length();
        }
        return folded.toString();
    }

    /** Folds a base64 value with CRLF TAB, which RFC 6376 allows anywhere in base64string. */
    private static String fold(String value, int firstLineOffset) {
        StringBuilder folded = new StringBuilder();
        int width = FOLD_WIDTH - firstLineOffset;
        int start = 0;
        while (value.length() - start > width) {
            folded.append(value, start, start + width).append("\r\n\t ");
            start += width;
            width = FOLD_WIDTH;
        }
        return folded.append(value.substring(start)).toString();
    }
}

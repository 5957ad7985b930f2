package io.sendonly.dkim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How signatures are made, OpenDKIM's defaults unless changed: relaxed/relaxed, the RFC 6376 §5.4.1 header list,
 * From oversigned, {@code t=} always, {@code x=} only with an expiration, never {@code l=}.
 */
public record SignatureSettings(Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
                                List<String> signedHeaders, List<String> oversignedHeaders, Optional<Duration> expiration) {
    /** The header fields signed when present, as OpenDKIM does by default, plus the MIME and identity fields. */
    public static final List<String> DEFAULT_SIGNED_HEADERS = List.of(
        "from", "sender", "reply-to", "subject", "date", "message-id", "to", "cc",
        "mime-version", "content-type", "content-transfer-encoding", "content-id", "content-description",
        "resent-date", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-message-id",
        "in-reply-to", "references",
        "list-id", "list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner", "list-archive",
        "list-unsubscribe-post");
    public static final List<String> DEFAULT_OVERSIGNED_HEADERS = List.of("from");

    public static final SignatureSettings DEFAULT = new SignatureSettings(Canonicalization.RELAXED, Canonicalization.RELAXED,
        DEFAULT_SIGNED_HEADERS, DEFAULT_OVERSIGNED_HEADERS, Optional.empty());

    public SignatureSettings {
        signedHeaders = List.copyOf(signedHeaders);
        oversignedHeaders = List.copyOf(oversignedHeaders);
    }

    /** Parses {@code relaxed/simple}, or one word for both header and body (OpenDKIM: body defaults to simple). */
    public SignatureSettings withCanonicalization(String value) {
        String[] parts = value.trim().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + value + "' is not header/body canonicalization, e.g. relaxed/relaxed");
        }
        Canonicalization header = Canonicalization.parse(parts[0]);
        Canonicalization body = parts.length == 2 ? Canonicalization.parse(parts[1]) : Canonicalization.SIMPLE;
        return new SignatureSettings(header, body, signedHeaders, oversignedHeaders, expiration);
    }

    public SignatureSettings withExpiration(Duration validity) {
        return new SignatureSettings(headerCanonicalization, bodyCanonicalization, signedHeaders, oversignedHeaders, Optional.of(validity));
    }

    public SignatureSettings withOversignedHeaders(List<String> headers) {
        return new SignatureSettings(headerCanonicalization, bodyCanonicalization, signedHeaders, headers, expiration);
    }
}

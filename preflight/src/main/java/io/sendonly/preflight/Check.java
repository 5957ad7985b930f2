package io.sendonly.preflight;

import java.util.Optional;

/**
 * One check of one sending domain.
 *
 * @param name {@code spf}, {@code dkim}, {@code dmarc}, {@code alignment}, {@code ptr}, {@code helo}, {@code mta-sts}
 *             or {@code tls-rpt}
 * @param detail one or two sentences for the operator
 * @param record the DNS record to publish, in zone-file form ({@code NAME TXT "..."}), when publishing one helps
 */
public record Check(String name, Status status, String detail, Optional<String> record) {
    public static final String SPF = "spf";
    public static final String DKIM = "dkim";
    public static final String DMARC = "dmarc";
    public static final String ALIGNMENT = "alignment";
    public static final String PTR = "ptr";
    public static final String HELO = "helo";
    public static final String MTA_STS = "mta-sts";
    public static final String TLS_RPT = "tls-rpt";

    static Check of(String name, Status status, String detail) {
        return new Check(name, status, detail, Optional.empty());
    }

    static Check publish(String name, Status status, String detail, String record) {
        return new Check(name, status, detail, Optional.of(record));
    }

    /** {@code name TXT "text"}, the text split in strings of at most 255 characters (RFC 1035 character-strings). */
    static String txt(String name, String text) {
        StringBuilder strings = new StringBuilder();
        for (int start = 0; start < text.length(); start += 255) {
            strings.append(strings.length() == 0 ? "" : " ").append('"')
                .append(text, start, Math.min(text.length(), start + 255)).append('"');
        }
        return name + ". TXT " + strings;
    }
}

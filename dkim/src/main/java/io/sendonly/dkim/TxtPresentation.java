package io.sendonly.dkim;

/**
 * The text of a TXT record from its presentation form: as dnsjava's {@code rdataToString} and James's
 * {@code DNSService.findTXTRecords} give it ({@code "v=TLSRPTv1; " "rua=mailto:a@example.com"}), or as a zone file
 * line such as {@code opendkim-genkey} writes ({@code mail._domainkey IN TXT ( "v=DKIM1; " "p=..." ) ; comment}).
 * The quoted strings are joined with {@code \"}, {@code \\} and {@code \DDD} decoded, and what stands outside them
 * (owner, class, type, parentheses, comment) is dropped; a text without any quote is the record itself, trimmed.
 */
public final class TxtPresentation {
    private TxtPresentation() {
    }

    public static String text(String presentation) {
        if (presentation.indexOf('"') < 0) {
            return presentation.strip();
        }
        StringBuilder text = new StringBuilder();
        boolean quoted = false;
        for (int index = 0; index < presentation.length(); index++) {
            char c = presentation.charAt(index);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                continue;
            } else if (c == '\\' && index + 1 < presentation.length()) {
                if (index + 3 < presentation.length() && presentation.substring(index + 1, index + 4).chars().allMatch(Character::isDigit)) {
                    text.append((char) Integer.parseInt(presentation.substring(index + 1, index + 4)));
                    index += 3;
                } else {
                    text.append(presentation.charAt(++index));
                }
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}

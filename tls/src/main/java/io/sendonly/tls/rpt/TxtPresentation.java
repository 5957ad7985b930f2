package io.sendonly.tls.rpt;

/**
 * The text of a TXT record from its presentation form ({@code "v=TLSRPTv1; " "rua=mailto:a@example.com"}, as
 * dnsjava's {@code rdataToString} and James's {@code DNSService.findTXTRecords} give it): the strings joined, their
 * quotes dropped, {@code \"}, {@code \\} and {@code \DDD} decoded.
 */
public final class TxtPresentation {
    private TxtPresentation() {
    }

    public static String text(String presentation) {
        StringBuilder text = new StringBuilder();
        boolean quoted = false;
        for (int index = 0; index < presentation.length(); index++) {
            char c = presentation.charAt(index);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && index + 1 < presentation.length()) {
                if (index + 3 < presentation.length() && presentation.substring(index + 1, index + 4).chars().allMatch(Character::isDigit)) {
                    text.append((char) Integer.parseInt(presentation.substring(index + 1, index + 4)));
                    index += 3;
                } else {
                    text.append(presentation.charAt(++index));
                }
            } else if (quoted || !Character.isWhitespace(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }
}

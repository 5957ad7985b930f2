package io.sendonly.sendmail;

import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the addr-specs of an RFC 5322 address-list header value (To, Cc, Bcc): display names, angle
 * brackets, groups ({@code undisclosed: a@x, b@y;}), comments, quoted strings and folding. What sendmail -t needs;
 * no validation beyond that.
 */
final class AddressList {
    private AddressList() {
    }

    static List<String> parse(String value) {
        String text = stripComments(value.replace("\r\n", "").replace("\n", ""));
        List<String> addresses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (!quoted && c == ':' && current.indexOf("<") < 0 && current.indexOf("@") < 0) {
                // A group's display name: drop it, keep its members.
                current.setLength(0);
            } else if (!quoted && (c == ',' || c == ';')) {
                add(addresses, current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(addresses, current.toString());
        return addresses;
    }

    private static void add(List<String> addresses, String mailbox) {
        String trimmed = mailbox.trim();
        if (trimmed.isEmpty()) {
            return;
        }
        int open = trimmed.lastIndexOf('<');
        int close = trimmed.lastIndexOf('>');
        String address = open >= 0 && close > open ? trimmed.substring(open + 1, close).trim() : trimmed;
        if (!address.isEmpty()) {
            addresses.add(address);
        }
    }

    private static String stripComments(String value) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                if (depth == 0) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}

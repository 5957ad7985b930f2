package io.sendonly.sendmail;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax of an envelope address, RFC 5321 section 4.1.2 ({@code Mailbox}): a local part that is a dot-string or
 * a quoted string, {@code @}, a domain or an address literal; at most 64 octets of local part, 255 of domain and
 * 254 in all (a path is at most 256 with its angle brackets). ASCII only: the server does not offer SMTPUTF8. As
 * Postfix's {@code allow_min_user = no}, an address may not begin with {@code -}, so that no address is taken
 * for an option by a program it is passed to. Used by sendmail for what it is given and by the maildrop pickup for
 * what it reads.
 */
public final class Mailbox {
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_MAILBOX = 254;
    private static final Pattern DOT_STRING = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]+(\\.[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]+)*");
    // qtextSMTP is %d32-33 / %d35-91 / %d93-126, quoted-pairSMTP a backslash and %d32-126.
    private static final Pattern QUOTED_STRING = Pattern.compile("\"([ !#-\\[\\]-~]|\\\\[ -~])*\"");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Mailbox() {
    }

    /** @return why {@code address} is not a mailbox, or empty when it is one */
    public static Optional<String> problem(String address) {
        if (address.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            return Optional.of("control or non-ASCII character");
        }
        if (address.length() > MAX_MAILBOX) {
            return Optional.of("longer than " + MAX_MAILBOX + " characters");
        }
        if (address.startsWith("-")) {
            return Optional.of("begins with '-'");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.of("no '@domain'");
        }
        String localPart = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (localPart.length() > MAX_LOCAL_PART) {
            return Optional.of("local part longer than " + MAX_LOCAL_PART + " characters");
        }
        if (!DOT_STRING.matcher(localPart).matches() && !QUOTED_STRING.matcher(localPart).matches()) {
            return Optional.of("local part is neither a dot-atom nor a quoted string");
        }
        if (domain.length() > MAX_DOMAIN || !(DOMAIN.matcher(domain).matches() || isAddressLiteral(domain))) {
            return Optional.of("domain is neither a host name nor an address literal");
        }
        return Optional.empty();
    }

    private static boolean isAddressLiteral(String domain) {
        if (!domain.startsWith("[") || !domain.endsWith("]")) {
            return false;
        }
        String literal = domain.substring(1, domain.length() - 1);
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            return isIpv6(literal.substring(5));
        }
        return IPV4.matcher(literal).matches();
    }

    private static boolean isIpv6(String text) {
        if (!IPV6.matcher(text).matches() || !text.contains(":")) {
            return false;
        }
        // Only hex digits, colons and dots reach here, so the JDK parses a literal and never asks DNS.
        try {
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

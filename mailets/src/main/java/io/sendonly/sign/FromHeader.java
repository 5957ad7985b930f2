package io.sendonly.sign;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * The From header fields of a message and the addresses they hold, as DKIM signing and the From-alignment guard
 * read them.
 *
 * @param fields      the raw field values, in order
 * @param addresses   every address of every field, bare local parts included
 * @param unparsable  the first field that does not parse as an address list
 */
public record FromHeader(List<String> fields, List<String> addresses, Optional<String> unparsable) {
    public FromHeader {
        fields = List.copyOf(fields);
        addresses = List.copyOf(addresses);
    }

    public static FromHeader of(MimeMessage message) throws MessagingException {
        String[] values = message.getHeader("From");
        List<String> fields = values == null ? List.of() : List.of(values);
        List<String> addresses = new ArrayList<>();
        Optional<String> unparsable = Optional.empty();
        for (String field : fields) {
            try {
                for (InternetAddress address : InternetAddress.parseHeader(field, false)) {
                    if (address.getAddress() != null && !address.getAddress().isEmpty()) {
                        addresses.add(address.getAddress());
                    }
                }
            } catch (AddressException e) {
                unparsable = unparsable.or(() -> Optional.of(field));
            }
        }
        return new FromHeader(fields, addresses, unparsable);
    }

    /** Bare local parts given {@code domain}, as QualifyBareAddresses does before signing. */
    public FromHeader qualified(String domain) {
        return new FromHeader(fields, addresses.stream().map(address -> address.contains("@") ? address : address + "@" + domain).toList(),
            unparsable);
    }

    /** The one address that identifies the author for signing: one field holding one address with a domain. */
    public Identity signingIdentity() {
        if (fields.isEmpty()) {
            return Identity.none("no From header");
        }
        if (fields.size() > 1) {
            return Identity.none(fields.size() + " From headers make the signing identity ambiguous");
        }
        if (unparsable.isPresent()) {
            return Identity.none("unparsable From '" + fields.get(0) + "'");
        }
        if (addresses.size() != 1 || !addresses.get(0).contains("@")) {
            return Identity.none("From '" + fields.get(0) + "' is not one address with a domain");
        }
        return Identity.of(addresses.get(0));
    }

    /** The address a message is signed for, or why it has none. */
    public record Identity(Optional<String> address, String absence) {
        public static Identity of(String address) {
            return new Identity(Optional.of(address), "");
        }

        public static Identity none(String why) {
            return new Identity(Optional.empty(), why);
        }
    }
}

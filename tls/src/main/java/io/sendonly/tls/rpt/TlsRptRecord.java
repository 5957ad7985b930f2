package io.sendonly.tls.rpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain's TLS-RPT policy, the TXT record at {@code _smtp._tls.DOMAIN} (RFC 8460 section 3):
 * {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/tlsrpt}. Read strictly, as the
 * section's ABNF says: the version first and exact, one {@code rua}, extensions named and valued as the grammar
 * allows; {@code rua} URIs other than {@code mailto:} and {@code https:} are skipped.
 *
 * @param rua the report addresses: {@code mailto:} and {@code https:} URIs, in the record's order
 */
public record TlsRptRecord(List<URI> rua) {
    public static final String VERSION = "v=TLSRPTv1";
    private static final Pattern FIELD_DELIMITER = Pattern.compile("[ \t]*;[ \t]*");
    private static final Pattern URI_DELIMITER = Pattern.compile("[ \t]*,[ \t]*");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    public TlsRptRecord {
        rua = List.copyOf(rua);
    }

    /** The DNS name of {@code domain}'s record. */
    public static String dnsName(String domain) {
        return "_smtp._tls." + PolicyKey.hostName(domain);
    }

    /**
     * The record among a name's TXT strings (each one record, its strings joined): those that do not start with
     * {@code v=TLSRPTv1;} are not TLS-RPT records; with none, or more than one, the domain has no policy.
     *
     * @throws IllegalArgumentException the one record does not read
     */
    public static Optional<TlsRptRecord> select(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(text -> FIELD_DELIMITER.split(text, 2)[0].equals(VERSION)
            && text.contains(";")).toList();
        return candidates.size() == 1 ? Optional.of(parse(candidates.get(0))) : Optional.empty();
    }

    /** @throws IllegalArgumentException saying what in the record does not read */
    public static TlsRptRecord parse(String text) {
        String[] fields = FIELD_DELIMITER.split(text, -1);
        if (!fields[0].equals(VERSION)) {
            throw new IllegalArgumentException("a TLS-RPT record starts with " + VERSION + ";, got '" + text + "'");
        }
        List<URI> rua = null;
        for (int index = 1; index < fields.length; index++) {
            String field = fields[index];
            if (field.isEmpty() && index == fields.length - 1 && index > 1) {
                continue;
            }
            if (field.startsWith("rua=")) {
                if (rua != null) {
                    throw new IllegalArgumentException("more than one rua= in '" + text + "'");
                }
                rua = rua(field.substring(4));
            } else if (!EXTENSION.matcher(field).matches()) {
                throw new IllegalArgumentException("'" + field + "' is neither rua= nor an extension name=value");
            }
        }
        if (rua == null) {
            throw new IllegalArgumentException("no rua= in '" + text + "'");
        }
        List<URI> usable = rua.stream().filter(uri -> uri.getScheme().equals("mailto") || uri.getScheme().equals("https")).toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("rua= names no mailto: nor https: URI in '" + text + "'");
        }
        return new TlsRptRecord(usable);
    }

    private static List<URI> rua(String value) {
        List<URI> uris = new ArrayList<>();
        for (String item : URI_DELIMITER.split(value, -1)) {
            try {
                URI uri = new URI(item);
                if (uri.getScheme() == null || (uri.getScheme().equalsIgnoreCase("https") && uri.getHost() == null)
                    || (uri.getScheme().equalsIgnoreCase("mailto") && uri.getSchemeSpecificPart().isEmpty())) {
                    throw new IllegalArgumentException("rua= '" + item + "' is not a mailto: or https: URI");
                }
                uris.add(new URI(uri.getScheme().toLowerCase(Locale.ROOT) + ":" + uri.getRawSchemeSpecificPart()
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment())));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("rua= '" + item + "' is not a URI: " + e.getReason(), e);
            }
        }
        return uris;
    }

    /** The {@code mailto:} addresses, percent-decoded, without any {@code ?header} part. */
    public List<String> mailAddresses() {
        return rua.stream().filter(uri -> uri.getScheme().equals("mailto"))
            .map(uri -> {
                String address = uri.getSchemeSpecificPart();
                int query = address.indexOf('?');
                return query < 0 ? address : address.substring(0, query);
            }).toList();
    }

    public List<URI> httpsEndpoints() {
        return rua.stream().filter(uri -> uri.getScheme().equals("https")).toList();
    }
}

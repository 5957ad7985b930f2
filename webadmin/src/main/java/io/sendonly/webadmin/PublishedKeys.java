package io.sendonly.webadmin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.PrivateKeys;

/** DKIM TXT records: what ours should say (from the private key), and the public key a published one gives. */
final class PublishedKeys {
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private PublishedKeys() {
    }

    /**
     * The {@code p=} value our private key needs published: derived for RSA; for Ed25519, read from the
     * {@code SELECTOR.txt} genkey wrote beside it. Empty when it cannot be known.
     */
    static Optional<String> expected(Path keyFile, String selector) {
        try {
            PrivateKey key = PrivateKeys.read(keyFile);
            if (key instanceof RSAPrivateCrtKey rsa) {
                return publicKeyOf(DkimRecord.of(KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())), false, false));
            }
            Path record = keyFile.resolveSibling(selector + ".txt");
            return Files.exists(record) ? publicKeyOf(unquote(Files.readString(record))) : Optional.empty();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code p=} value of a DKIM key record, empty when the record is not one (RFC 6376 3.6.1). */
    static Optional<String> publicKeyOf(String record) {
        String version = null;
        String key = null;
        for (String tag : record.split(";")) {
            int equals = tag.indexOf('=');
            if (equals < 0) {
                if (!tag.isBlank()) {
                    return Optional.empty();
                }
                continue;
            }
            String name = tag.substring(0, equals).trim();
            String value = tag.substring(equals + 1).replaceAll("\\s+", "");
            if (name.equals("v")) {
                version = value;
            } else if (name.equals("p")) {
                key = value;
            }
        }
        if ((version != null && !version.equals("DKIM1")) || key == null || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Base64.getDecoder().decode(key);
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The text of a record given as quoted strings ({@code "v=DKIM1; " "p=..."}), joined; as is otherwise. */
    static String unquote(String text) {
        Matcher quoted = QUOTED.matcher(text);
        StringBuilder value = new StringBuilder();
        boolean any = false;
        while (quoted.find()) {
            value.append(quoted.group(1));
            any = true;
        }
        return any ? value.toString() : text.trim();
    }
}

package io.sendonly.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.TableReference;

/**
 * Signing by table, as OpenDKIM does with KeyTable + SigningTable: which keys sign a message is looked up from the
 * signing identity (the From address). Every key the tables name is read, checked and test-signed once, here:
 * a missing, unreadable, world-readable, too short or malformed key stops start-up naming its KeyTable line.
 */
public final class DkimSigning {
    public static final int MIN_RSA_BITS = 1024;
    public static final int RECOMMENDED_MAX_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 4096;
    private static final Logger LOGGER = LoggerFactory.getLogger(DkimSigning.class);
    private static final byte[] TEST_MESSAGE = "From: test@invalid\r\nSubject: key check\r\n\r\nkey check\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    /** What signs mail of one From address: empty when the tables have nothing for it. */
    public record Decision(List<SigningKey> keys, String reason) {
        public boolean signs() {
            return !keys.isEmpty();
        }
    }

    private final SigningTable signingTable;
    private final KeyTable keyTable;
    private final boolean subDomains;
    private final boolean multipleSignatures;
    private final DkimSigner signer;
    /** Loaded keys by KeyTable name; one file serving many names is read once. */
    private final Map<String, PrivateKey> keysByName;

    private DkimSigning(SigningTable signingTable, KeyTable keyTable, boolean subDomains, boolean multipleSignatures,
                        SignatureSettings settings, Map<String, PrivateKey> keysByName) {
        this.signingTable = signingTable;
        this.keyTable = keyTable;
        this.subDomains = subDomains;
        this.multipleSignatures = multipleSignatures;
        this.signer = new DkimSigner(settings);
        this.keysByName = Map.copyOf(keysByName);
    }

    /**
     * @param signingTableSource names the SigningTable in error messages
     * @param baseDirectory against which relative key paths resolve
     */
    public static DkimSigning load(KeyTable keyTable, SigningTable signingTable, String signingTableSource, Path baseDirectory,
                                   boolean subDomains, boolean multipleSignatures, SignatureSettings settings) {
        checkKeyNames(keyTable, signingTable, signingTableSource);
        DkimSigning signing = new DkimSigning(signingTable, keyTable, subDomains, multipleSignatures, settings,
            loadKeys(keyTable, baseDirectory));
        Set<String> used = Set.copyOf(signingTable.keyNames());
        keyTable.entries().stream()
            .filter(entry -> !used.contains(entry.name()))
            .forEach(entry -> LOGGER.warn("{}: key '{}' is used by no SigningTable entry", entry.location(), entry.name()));
        return signing;
    }

    /**
     * Every key of the KeyTable read, checked and test-signed, as at start-up and before the KeyTable is written.
     *
     * @param baseDirectory against which relative key paths resolve
     * @return the keys by KeyTable name; one file serving many names is read once
     */
    public static Map<String, PrivateKey> loadKeys(KeyTable keyTable, Path baseDirectory) {
        Map<Path, PrivateKey> byPath = new HashMap<>();
        Map<String, PrivateKey> byName = new LinkedHashMap<>();
        for (KeyTable.Entry entry : keyTable.entries()) {
            Path path = baseDirectory.resolve(entry.keyPath()).normalize();
            byName.put(entry.name(), byPath.computeIfAbsent(path, unused -> loadKey(entry, path)));
        }
        return byName;
    }

    /** Every key the SigningTable names must be in the KeyTable: checked at start-up and before either file is written. */
    public static void checkKeyNames(KeyTable keyTable, SigningTable signingTable, String signingTableSource) {
        for (String name : signingTable.keyNames()) {
            if (keyTable.get(name).isEmpty()) {
                throw new IllegalArgumentException(signingTable.location(name, signingTableSource)
                    + ": key name '" + name + "' is not in the KeyTable");
            }
        }
    }

    /** @param signingTable at a path, {@code refile:path} for the wildcard form */
    public static DkimSigning load(Path keyTable, TableReference signingTable, boolean subDomains, boolean multipleSignatures,
                                   SignatureSettings settings) {
        Path signingTablePath = Path.of(signingTable.location());
        return load(KeyTable.parse(readLines(keyTable), keyTable.toString()),
            SigningTable.parse(readLines(signingTablePath), signingTablePath.toString(), signingTable.wildcards()),
            signingTablePath.toString(), keyTable.toAbsolutePath().getParent(), subDomains, multipleSignatures, settings);
    }

    /** Looks up the signing identity (From address, local@domain) as OpenDKIM does, parent domains with SubDomains. */
    public Decision decide(String identity) {
        String address = identity.toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        for (String candidate = domain; candidate != null; candidate = subDomains ? parent(candidate) : null) {
            List<String> names = signingTable.lookup(local + "@" + candidate);
            if (!names.isEmpty()) {
                List<String> chosen = multipleSignatures ? names : names.subList(0, 1);
                List<SigningKey> keys = new ArrayList<>();
                for (String name : chosen) {
                    keys.add(key(keyTable.get(name).orElseThrow(), candidate));
                }
                return new Decision(keys, "SigningTable matched " + local + "@" + candidate);
            }
        }
        return new Decision(List.of(), "no SigningTable entry for " + address + (subDomains ? " or its parent domains" : ""));
    }

    /** The DKIM-Signature fields for {@code message}, in the order to prepend them. */
    public List<String> sign(byte[] message, List<SigningKey> keys, Instant now) {
        RawMessage parsed = RawMessage.parse(message);
        List<String> fields = new ArrayList<>();
        for (SigningKey key : keys) {
            fields.add(signer.sign(parsed, key, now));
        }
        return fields;
    }

    private SigningKey key(KeyTable.Entry entry, String signingDomain) {
        return new SigningKey(entry.domainFor(signingDomain), entry.selector(), keysByName.get(entry.name()));
    }

    private static String parent(String domain) {
        int dot = domain.indexOf('.');
        String parent = dot < 0 ? null : domain.substring(dot + 1);
        return parent != null && parent.contains(".") ? parent : null;
    }

    private static PrivateKey loadKey(KeyTable.Entry entry, Path path) {
        String where = entry.location() + ": key '" + entry.name() + "' (" + path + ")";
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(where + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(where + ": not readable by this process");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException(where + ": readable by everyone; chmod o-r (OpenDKIM refuses it too)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
        PrivateKey key;
        try {
            key = SigningEngine.get().prepare(PrivateKeys.read(path));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        int bits = PrivateKeys.bitsOf(key);
        if (PrivateKeys.algorithmOf(key) == SigningAlgorithm.RSA_SHA256) {
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException(where + ": RSA key of " + bits + " bits, below the minimum of " + MIN_RSA_BITS);
            }
            if (bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException(where + ": RSA key of " + bits + " bits, above the maximum of " + MAX_RSA_BITS);
            }
            if (bits > RECOMMENDED_MAX_RSA_BITS) {
                LOGGER.warn("{}: RSA key of {} bits: some verifiers handle at most {} (RFC 8301)", where, bits, RECOMMENDED_MAX_RSA_BITS);
            }
        }
        try {
            new DkimSigner(SignatureSettings.DEFAULT).sign(RawMessage.parse(TEST_MESSAGE),
                new SigningKey(entry.domain().replace("%", "test.invalid"), entry.selector(), key), Instant.EPOCH);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": test signature failed: " + e.getMessage(), e);
        }
        return key;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}

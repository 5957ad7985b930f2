package io.sendonly.dkim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.sendonly.config.EditableTable;
import io.sendonly.config.Fields;
import io.sendonly.config.TableEditor;
import io.sendonly.config.TableFile;
import io.sendonly.config.TableReference;

/**
 * Edits the KeyTable and SigningTable that SignDkim reads, so that SignDkim can read them again: each field is
 * checked before it is written, and the whole new file is read by {@link KeyTable#parse}, {@link SigningTable#parse},
 * the start-up check that every SigningTable key is in the KeyTable and, for a KeyTable, the start-up loading of its
 * keys, before it replaces the old one atomically.
 */
public final class DkimTablesEditor {
    /** A KeyTable line: {@code name domain:selector:keyPath}. */
    public record Key(String name, String domain, String selector, String keyPath) {
    }

    /** A SigningTable line: {@code pattern key}. */
    public record Signing(String pattern, String key) {
    }

    public static final EditableTable.Format<Key> KEY_FORMAT = new EditableTable.Format<>() {
        @Override
        public Key parse(String content) {
            String[] columns = content.split("\\s+", 2);
            if (columns.length != 2) {
                throw new IllegalArgumentException("expected 'keyname domain:selector:keypath'");
            }
            String[] value = columns[1].split(":", 3);
            if (value.length != 3 || value[0].isEmpty() || value[1].isEmpty() || value[2].isEmpty()) {
                throw new IllegalArgumentException("'" + columns[1] + "' is not domain:selector:keypath");
            }
            return new Key(columns[0], value[0], value[1], value[2]);
        }

        @Override
        public String format(Key key) {
            return Fields.word("name", key.name()) + " " + withoutColon("domain", key.domain()) + ":"
                + withoutColon("selector", key.selector()) + ":" + Fields.word("keyPath", key.keyPath());
        }
    };

    public static final EditableTable.Format<Signing> SIGNING_FORMAT = new EditableTable.Format<>() {
        @Override
        public Signing parse(String content) {
            String[] columns = content.split("\\s+");
            if (columns.length != 2) {
                throw new IllegalArgumentException("expected 'pattern keyname'");
            }
            return new Signing(columns[0], columns[1]);
        }

        @Override
        public String format(Signing signing) {
            return Fields.word("pattern", signing.pattern()) + " " + Fields.word("key", signing.key());
        }
    };

    private final Path keyTable;
    private final Path signingTable;
    private final boolean wildcards;

    /** @param signingTable at a path, {@code refile:path} for the wildcard form, as SignDkim's parameter */
    public DkimTablesEditor(Path keyTable, TableReference signingTable) {
        this.keyTable = keyTable;
        this.wildcards = signingTable.wildcards();
        this.signingTable = Path.of(signingTable.location());
    }

    /** Checked against the SigningTable in force; every key it names is read and test-signed, as at start-up. */
    public TableEditor<Key> keyTable() {
        return new TableEditor<>(keyTable, KEY_FORMAT, "name", lines -> {
            check(lines, TableFile.read(signingTable));
            DkimSigning.loadKeys(KeyTable.parse(lines, keyTable.toString()), keyTable.toAbsolutePath().getParent());
        });
    }

    /** Checked against the KeyTable in force. */
    public TableEditor<Signing> signingTable() {
        return new TableEditor<>(signingTable, SIGNING_FORMAT, "key", lines -> check(TableFile.read(keyTable), lines));
    }

    /** The KeyTable as it is now on disk. */
    public KeyTable readKeyTable() throws IOException {
        return KeyTable.parse(TableFile.read(keyTable), keyTable.toString());
    }

    /** The SigningTable as it is now on disk. */
    public SigningTable readSigningTable() throws IOException {
        return SigningTable.parse(TableFile.read(signingTable), signingTable.toString(), wildcards);
    }

    private void check(List<String> keyLines, List<String> signingLines) {
        DkimSigning.checkKeyNames(KeyTable.parse(keyLines, keyTable.toString()),
            SigningTable.parse(signingLines, signingTable.toString(), wildcards), signingTable.toString());
    }

    private static String withoutColon(String field, String value) {
        if (Fields.word(field, value).contains(":")) {
            throw new IllegalArgumentException(field + ": '" + value + "' has ':', the KeyTable's separator");
        }
        return value;
    }
}

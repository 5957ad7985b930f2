package io.sendonly.check;

import java.nio.file.Path;

import io.sendonly.config.EditableTable;
import io.sendonly.config.Fields;
import io.sendonly.config.TableEditor;

/**
 * Edits a {@code TrustedHosts} file so that the server can read it again: each entry is checked before it is
 * written, and the whole new file is read by {@link TrustedNetworks#parse}, as at start-up, before it replaces the
 * old one atomically. An entry is an IP address, a CIDR block or a host name, {@code !} in front to exclude it.
 */
public final class TrustedHostsEditor {
    public static final EditableTable.Format<String> FORMAT = new EditableTable.Format<>() {
        @Override
        public String parse(String content) {
            return content;
        }

        @Override
        public String format(String network) {
            return Fields.word("network", network);
        }
    };

    private TrustedHostsEditor() {
    }

    public static TableEditor<String> open(Path file) {
        return new TableEditor<>(file, FORMAT, "network", lines -> TrustedNetworks.parse(lines, file.toString()));
    }
}

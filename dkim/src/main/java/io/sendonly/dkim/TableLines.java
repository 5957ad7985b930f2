package io.sendonly.dkim;

/** OpenDKIM table files: {@code #} starts a comment, surrounding whitespace is ignored. */
final class TableLines {
    private TableLines() {
    }

    static String content(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).trim();
    }
}

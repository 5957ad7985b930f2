package io.sendonly.config;

import java.util.function.UnaryOperator;

/**
 * Where OpenDKIM is told to read a table: {@code location}, or {@code refile:location} for the form whose patterns
 * hold {@code *} wildcards. The location is a path or a James file URL, as the parameter gives it.
 */
public record TableReference(String location, boolean wildcards) {
    public static final String REFILE = "refile:";

    public TableReference {
        if (location.isEmpty()) {
            throw new IllegalArgumentException("'" + (wildcards ? REFILE : "") + "': the file is missing");
        }
    }

    public static TableReference parse(String value) {
        String trimmed = value.trim();
        boolean wildcards = trimmed.startsWith(REFILE);
        return new TableReference(wildcards ? trimmed.substring(REFILE.length()) : trimmed, wildcards);
    }

    /** The same form, at the location {@code resolve} makes of this one (a file URL to a path, say). */
    public TableReference resolve(UnaryOperator<String> resolve) {
        return new TableReference(resolve.apply(location), wildcards);
    }

    /** As the parameter is written. */
    @Override
    public String toString() {
        return (wildcards ? REFILE : "") + location;
    }
}

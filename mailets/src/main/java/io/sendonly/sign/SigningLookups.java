package io.sendonly.sign;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.james.filesystem.api.FileSystem;

/**
 * One {@link SigningLookup} per SignDkim configuration, shared by SignDkim and the From-alignment guard: the keys are
 * read and test-signed, and the tables watched, once for both, and both answer from the same tables.
 */
@Singleton
public class SigningLookups {
    private final FileSystem fileSystem;
    private final Map<Map<String, Optional<String>>, SigningLookup> loaded = new HashMap<>();

    @Inject
    public SigningLookups(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    /**
     * The lookup for these parameters, loaded on first use.
     *
     * @param component  names the component in errors and log lines
     * @param parameters a parameter's value by name; unset, empty and blank are the same
     */
    public synchronized SigningLookup get(String component, Function<String, Optional<String>> parameters) throws MessagingException {
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        for (String name : SigningLookup.PARAMETERS) {
            values.put(name, parameters.apply(name).map(String::trim).filter(value -> !value.isEmpty()));
        }
        SigningLookup lookup = loaded.get(values);
        if (lookup == null) {
            lookup = SigningLookup.load(component, values::get, fileSystem);
            loaded.put(Map.copyOf(values), lookup);
        }
        return lookup;
    }
}

package io.sendonly.sign;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import javax.mail.MessagingException;

import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.Mail;

import io.sendonly.config.Durations;
import io.sendonly.config.TableReference;
import io.sendonly.config.WatchedFile;
import io.sendonly.dkim.DkimSigning;
import io.sendonly.dkim.SignatureSettings;

/**
 * Which keys sign a mail: SignDkim's KeyTable and SigningTable, as its parameters name them, looked up by its signing
 * identity (the From address, or the envelope sender). The tables are loaded again when their files change, so a
 * lookup always answers from the tables in force. SignDkim signs by it; the From-alignment guard asks it what SignDkim
 * will do.
 */
public final class SigningLookup {
    /** The SignDkim parameters a lookup is made of. */
    static final List<String> PARAMETERS = List.of(SignDkim.KEY_TABLE, SignDkim.SIGNING_TABLE, SignDkim.SUB_DOMAINS,
        SignDkim.MULTIPLE_SIGNATURES, SignDkim.CANONICALIZATION, SignDkim.OVERSIGN_HEADERS, SignDkim.SIGNATURE_TTL,
        SignDkim.SIGNING_IDENTITY);

    private final WatchedFile<DkimSigning> tables;
    private final boolean identityFromSender;

    private SigningLookup(WatchedFile<DkimSigning> tables, boolean identityFromSender) {
        this.tables = tables;
        this.identityFromSender = identityFromSender;
    }

    /**
     * Parses SignDkim's parameters and loads the tables: every key read and test-signed. {@link SigningLookups} keeps
     * one per configuration.
     *
     * @param component  names the component in errors and log lines
     * @param parameters a parameter's value by name, empty when unset
     */
    static SigningLookup load(String component, Function<String, Optional<String>> parameters, FileSystem fileSystem)
        throws MessagingException {
        String identity = parameters.apply(SignDkim.SIGNING_IDENTITY).orElse("from");
        if (!identity.equals("from") && !identity.equals("sender")) {
            throw new MessagingException(component + ": <" + SignDkim.SIGNING_IDENTITY + "> '" + identity + "': expected from or sender");
        }
        try {
            SignatureSettings settings = SignatureSettings.DEFAULT
                .withCanonicalization(parameters.apply(SignDkim.CANONICALIZATION).orElse("relaxed/relaxed"))
                .withOversignedHeaders(headerList(parameters.apply(SignDkim.OVERSIGN_HEADERS).orElse("From")));
            Optional<Duration> ttl = parameters.apply(SignDkim.SIGNATURE_TTL).filter(value -> !value.isBlank())
                .map(value -> Durations.parse(value, SignDkim.SIGNATURE_TTL));
            if (ttl.isPresent()) {
                settings = settings.withExpiration(ttl.get());
            }
            Path keyTable = file(fileSystem, required(component, parameters, SignDkim.KEY_TABLE));
            TableReference signingTable = TableReference.parse(required(component, parameters, SignDkim.SIGNING_TABLE))
                .resolve(url -> file(fileSystem, url).toString());
            boolean subDomains = bool(parameters.apply(SignDkim.SUB_DOMAINS));
            boolean multipleSignatures = bool(parameters.apply(SignDkim.MULTIPLE_SIGNATURES));
            SignatureSettings signatureSettings = settings;
            return new SigningLookup(WatchedFile.load(component + " DKIM tables", List.of(keyTable, Path.of(signingTable.location())),
                () -> DkimSigning.load(keyTable, signingTable, subDomains, multipleSignatures, signatureSettings)),
                identity.equals("sender"));
        } catch (IllegalArgumentException e) {
            throw new MessagingException(component + ": " + e.getMessage(), e);
        }
    }

    /** The tables in force, loaded again first if their files changed. */
    public DkimSigning tables() {
        return tables.get();
    }

    /** What SignDkim decides for this mail now: its keys, or why it goes unsigned. */
    public DkimSigning.Decision decide(Mail mail) throws MessagingException {
        return decide(FromHeader.of(mail.getMessage()), mail.getMaybeSender());
    }

    /** @param from the From header, qualified as it will be when SignDkim reads it */
    public DkimSigning.Decision decide(FromHeader from, MaybeSender sender) {
        FromHeader.Identity identity = identityFromSender
            ? sender.asOptional().map(address -> FromHeader.Identity.of(address.asString())).orElse(FromHeader.Identity.none("null envelope sender"))
            : from.signingIdentity();
        return identity.address().map(address -> tables().decide(address))
            .orElseGet(() -> new DkimSigning.Decision(List.of(), identity.absence()));
    }

    private static String required(String component, Function<String, Optional<String>> parameters, String name) throws MessagingException {
        Optional<String> value = parameters.apply(name).filter(text -> !text.isBlank());
        if (value.isEmpty()) {
            throw new MessagingException(component + ": <" + name + "> is required");
        }
        return value.get().trim();
    }

    private static boolean bool(Optional<String> value) {
        return value.map(String::trim).map(Boolean::parseBoolean).orElse(false);
    }

    private static Path file(FileSystem fileSystem, String url) {
        try {
            return fileSystem.getFile(url).toPath();
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(url + ": not found", e);
        }
    }

    private static List<String> headerList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(name -> !name.isEmpty())
            .map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }
}

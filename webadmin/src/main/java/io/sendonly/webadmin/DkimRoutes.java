package io.sendonly.webadmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.config.Domains;
import io.sendonly.config.EditableTable;
import io.sendonly.config.TableEditor;
import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.DkimSigning;
import io.sendonly.dkim.GenKey;
import io.sendonly.dkim.KeyRecordCheck;
import io.sendonly.dkim.PrivateKeys;
import io.sendonly.dkim.PublishedKeys;
import io.sendonly.dkim.TxtPresentation;
import io.sendonly.dkim.DkimTablesEditor.Key;
import io.sendonly.dkim.DkimTablesEditor.Signing;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * DKIM keys and the signing table, in the OpenDKIM files SignDkim reads (its {@code keyTable} and {@code signingTable}
 * in {@code mailetcontainer.xml}, default {@code conf/dkim/KeyTable} and {@code conf/dkim/SigningTable} in its
 * {@code refile:} form; new keys under {@code keys/DOMAIN/} next to the KeyTable), changed through
 * {@link io.sendonly.dkim.DkimTablesEditor} (checked as at start-up, written atomically); SignDkim
 * loads them again when they change, so the next message uses them:
 * <ul>
 *   <li>{@code GET /sendonly/dkim/keys}: name, domain, selector, algorithm, bits, created, in use, and with
 *       {@code ?dns=true} the DNS check's status; never key material;</li>
 *   <li>{@code POST /sendonly/dkim/keys} {@code {"domain","selector","algorithm":"rsa|ed25519","bits":2048}}: a new
 *       key (mode 0600), answered with the DNS TXT record to publish; 409 when the name exists. With
 *       {@code "privateKey":"-----BEGIN ..."} the given PEM key is imported instead (an Ed25519 key also needs
 *       {@code "publicKey"}, its p= value, which is checked against it);</li>
 *   <li>{@code GET /sendonly/dkim/signingTable}: the entries in precedence (file) order;</li>
 *   <li>{@code GET /sendonly/dkim/keys/NAME/dns}: looks up {@code NAME} TXT (dnsjava, dnsservice.xml) and says
 *       {@code published} (the public key of our private key), {@code missing}, {@code mismatch} (another key) or
 *       {@code syntaxError}; 404 for a name not in the KeyTable;</li>
 *   <li>{@code DELETE /sendonly/dkim/keys/NAME}: the KeyTable line, the key file and its {@code SELECTOR.txt}; 409
 *       while a SigningTable entry uses it;</li>
 *   <li>{@code POST /sendonly/dkim/rotation} {@code {"pattern":"*@example.com","key":"NEW","force":false}}: the
 *       SigningTable entries for that pattern sign with NEW from the next message on; refused (409) unless NEW's
 *       record is published, or {@code force} is true. The old key stays in the KeyTable, unused, for its record
 *       to stay published while mail signed with it is in transit; delete it later;</li>
 *   <li>{@code POST /sendonly/dkim/signingTable} {@code {"pattern":"*@example.com","key":"NAME","position":0}}:
 *       inserted at position (0 is first and wins), appended without one; 400 when the key is not in the KeyTable;</li>
 *   <li>{@code PUT /sendonly/dkim/signingTable} {@code [{"pattern","key"}, ...]}: the whole table, in this order
 *       (reordering), each entry checked as above;</li>
 *   <li>{@code DELETE /sendonly/dkim/signingTable?pattern=*@example.com[&key=NAME]}: those entries; 404 if none.</li>
 * </ul>
 */
public class DkimRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/dkim";
    private static final Logger LOGGER = LoggerFactory.getLogger(DkimRoutes.class);

    public record KeyDto(String name, String domain, String selector, String algorithm, Optional<Integer> bits,
                         Optional<Instant> created, boolean inUse, Optional<String> dns) {
    }

    public record NewKeyDto(String name, String domain, String selector, String dnsName, String txt) {
    }

    public record SigningEntryDto(String pattern, String key) {
    }

    public record DnsCheckDto(String name, String status, Optional<String> published, Optional<String> expected) {
    }

    private final TableEditor<Key> keyTable;
    private final TableEditor<Signing> signingTable;
    private final DNSService dns;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public DkimRoutes(ConfiguredFiles files, DNSService dns) {
        this.keyTable = files.dkimTables().keyTable();
        this.signingTable = files.dkimTables().signingTable();
        this.dns = dns;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH + "/keys", this::keys, json);
        service.post(BASE_PATH + "/keys", this::create, json);
        service.get(BASE_PATH + "/keys/:name/dns", this::dnsCheck, json);
        service.delete(BASE_PATH + "/keys/:name", this::deleteKey);
        service.post(BASE_PATH + "/rotation", this::rotate, json);
        service.get(BASE_PATH + "/signingTable", (request, response) -> signingEntries(), json);
        service.post(BASE_PATH + "/signingTable", this::addSigningEntry);
        service.put(BASE_PATH + "/signingTable", this::replaceSigningTable, json);
        service.delete(BASE_PATH + "/signingTable", this::removeSigningEntries);
    }

    /** With {@code ?dns=true}, each key's DNS check too: off by default, as it queries the resolver once per key. */
    private List<KeyDto> keys(Request request, Response response) throws IOException {
        boolean withDns = Boolean.parseBoolean(request.queryParams("dns"));
        List<KeyDto> keys = new ArrayList<>();
        for (KeyDto key : keys()) {
            keys.add(withDns ? new KeyDto(key.name(), key.domain(), key.selector(), key.algorithm(), key.bits(), key.created(),
                key.inUse(), Optional.of(check(key.name()).status())) : key);
        }
        return keys;
    }

    private synchronized List<KeyDto> keys() throws IOException {
        Set<String> used = Answers.current(signingTable).entries().stream().map(Signing::key).collect(Collectors.toSet());
        return Answers.current(keyTable).entries().stream()
            .map(entry -> {
                Path keyFile = keyFile(entry);
                Optional<PrivateKey> key = readKey(keyFile);
                return new KeyDto(entry.name(), entry.domain(), entry.selector(),
                    key.map(k -> PrivateKeys.algorithmOf(k).name()).orElse("unreadable"),
                    key.filter(k -> k.getAlgorithm().equals("RSA")).map(PrivateKeys::bitsOf), modified(keyFile),
                    used.contains(entry.name()), Optional.empty());
            })
            .toList();
    }

    /** Generates a key, or imports the one given as {@code privateKey} (PEM). */
    private synchronized NewKeyDto create(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        String domain = Answers.checked(() -> Domains.domain("domain", Answers.text(body, "domain")));
        String selector = selector(body);
        String name = selector + "._domainkey." + domain;
        EditableTable<Key> keys = Answers.current(keyTable);
        if (key(keys, name).isPresent()) {
            throw Answers.conflict("selector: key " + name + " exists already");
        }
        Key key = new Key(name, domain, selector, "keys/" + domain + "/" + selector + ".private");
        Path keyFile = keyFile(key);
        if (Files.exists(keyFile)) {
            throw Answers.conflict("selector: " + keyFile + " exists already");
        }
        String txt = body.has("privateKey") ? importKey(body, domain, selector, keyFile.getParent())
            : generate(body, domain, selector, keyFile.getParent());
        try {
            Answers.valid(() -> keyTable.write(keys.add(key)));
        } catch (RuntimeException e) {
            // A key the server would not load is not kept either, so that the selector stays free.
            deleteKeyFiles(key);
            throw e;
        }
        LOGGER.info("webadmin: {} {} DKIM key {}", Answers.who(request), body.has("privateKey") ? "imported" : "generated", name);
        response.status(HttpStatus.CREATED_201);
        return new NewKeyDto(name, domain, selector, name, txt);
    }

    /** @return the DNS record to publish */
    private String generate(JsonNode body, String domain, String selector, Path directory) throws IOException {
        String algorithm = body.path("algorithm").asText("rsa");
        if (!algorithm.equals("rsa") && !algorithm.equals("ed25519")) {
            throw Answers.badRequest("algorithm: '" + algorithm + "': expected rsa or ed25519");
        }
        int bits = body.path("bits").asInt(2048);
        if (algorithm.equals("rsa") && (bits < 1024 || bits > 4096)) {
            throw Answers.badRequest("bits: " + bits + ": expected 1024 to 4096 (2048 recommended)");
        }
        Files.createDirectories(directory);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = GenKey.run(new String[] {"-a", algorithm, "-b", String.valueOf(bits), "-d", domain, "-s", selector,
            "-D", directory.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(errors, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw Answers.conflict("selector: " + errors.toString(StandardCharsets.UTF_8).trim());
        }
        return TxtPresentation.text(Files.readString(directory.resolve(selector + ".txt")));
    }

    /**
     * Writes the given PEM key (mode 0600) and its {@code SELECTOR.txt}, as genkey would. An RSA key's public half is
     * derived; an Ed25519 key's cannot be with the JDK, so it comes as {@code publicKey} (the p= value) and must
     * verify what the private key signs.
     *
     * @return the DNS record to publish
     */
    private String importKey(JsonNode body, String domain, String selector, Path directory) throws IOException {
        String pem = body.path("privateKey").asText("");
        PrivateKey key;
        try {
            key = PrivateKeys.parse(pem);
        } catch (IllegalArgumentException e) {
            throw Answers.badRequest("privateKey: " + e.getMessage());
        }
        PublicKey publicKey = PublishedKeys.publicKeyOf(key, body.path("publicKey").asText(""))
            .orElseThrow(() -> Answers.badRequest(key instanceof java.security.interfaces.RSAPrivateCrtKey
                ? "publicKey: does not match privateKey"
                : "publicKey: give the p= value of the Ed25519 key's DNS record; the JDK cannot derive it"));
        int bits = PrivateKeys.bitsOf(key);
        if (key.getAlgorithm().equals("RSA") && (bits < DkimSigning.MIN_RSA_BITS || bits > DkimSigning.MAX_RSA_BITS)) {
            throw Answers.badRequest("privateKey: " + bits + " bits: expected " + DkimSigning.MIN_RSA_BITS + " to "
                + DkimSigning.MAX_RSA_BITS + ", as SignDkim loads them (verifiers ignore RSA keys under 1024 bits)");
        }
        String record = DkimRecord.of(publicKey, false, false);
        Files.createDirectories(directory);
        Path keyFile = directory.resolve(selector + ".private");
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, pem.strip() + "\n", StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve(selector + ".txt"), GenKey.zoneRecord(selector, domain, record), StandardCharsets.US_ASCII);
        return record;
    }

    private synchronized String deleteKey(Request request, Response response) throws IOException {
        String name = request.params("name");
        EditableTable<Key> keys = Answers.current(keyTable);
        Key key = key(keys, name).orElseThrow(() -> Answers.notFound("name: '" + name + "' is not in the KeyTable"));
        if (Answers.current(signingTable).entries().stream().anyMatch(entry -> entry.key().equals(name))) {
            throw Answers.conflict("name: '" + name + "' is used by the SigningTable; rotate to another key first");
        }
        EditableTable<Key> remaining = keys.removeIf(key::equals);
        Answers.valid(() -> keyTable.write(remaining));
        // One file may serve several names (OpenDKIM allows it): it goes with the last of them.
        if (remaining.entries().stream().map(this::keyFile).noneMatch(keyFile(key)::equals)) {
            deleteKeyFiles(key);
        }
        LOGGER.info("webadmin: {} deleted DKIM key {}", Answers.who(request), name);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private synchronized List<SigningEntryDto> rotate(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        String pattern = Answers.text(body, "pattern");
        String key = knownKey(Answers.text(body, "key"));
        EditableTable<Signing> table = Answers.current(signingTable);
        if (table.entries().stream().noneMatch(entry -> entry.pattern().equals(pattern))) {
            throw Answers.notFound("pattern: '" + pattern + "' is not in the SigningTable");
        }
        String status = check(key).status();
        if (!status.equals(KeyRecordCheck.Status.PUBLISHED.label()) && !body.path("force").asBoolean(false)) {
            throw Answers.conflict("key: the DNS record of '" + key + "' is " + status + "; publish it first, or force");
        }
        Answers.valid(() -> signingTable.write(
            table.replaceAll(entry -> entry.pattern().equals(pattern) ? new Signing(pattern, key) : entry)));
        LOGGER.info("webadmin: {} rotated SigningTable {} to sign with {} (DNS {})", Answers.who(request), pattern, key, status);
        return signingEntries();
    }

    private DnsCheckDto dnsCheck(Request request, Response response) throws IOException {
        return check(request.params("name"));
    }

    private DnsCheckDto check(String name) throws IOException {
        Key entry = key(Answers.current(keyTable), name).orElseThrow(() -> Answers.notFound("name: '" + name + "' is not in the KeyTable"));
        KeyRecordCheck check = KeyRecordCheck.of(keyFile(entry), entry.selector(),
            dns.findTXTRecords(KeyRecordCheck.dnsName(entry.selector(), entry.domain())));
        return new DnsCheckDto(name, check.status().label(), check.published(), check.expected());
    }

    private synchronized List<SigningEntryDto> signingEntries() throws IOException {
        return Answers.current(signingTable).entries().stream().map(entry -> new SigningEntryDto(entry.pattern(), entry.key())).toList();
    }

    /** Appended, or inserted before the entry at {@code position} (0 is first, which wins over the rest). */
    private synchronized String addSigningEntry(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        Signing entry = signingEntry(body);
        EditableTable<Signing> table = Answers.current(signingTable);
        JsonNode position = body.path("position");
        if (!position.isMissingNode() && !position.isInt()) {
            throw Answers.badRequest("position: '" + position + "': expected 0 to " + table.entries().size());
        }
        Answers.valid(() -> signingTable.write(position.isMissingNode() ? table.add(entry) : table.insert(position.asInt(), entry)));
        LOGGER.info("webadmin: {} added SigningTable entry {} -> {} at position {}", Answers.who(request), entry.pattern(), entry.key(),
            position.isMissingNode() ? "last" : position.asInt());
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    /** The whole table in a new order (or with entries changed): the comments before the first entry are kept. */
    private synchronized List<SigningEntryDto> replaceSigningTable(Request request, Response response) throws IOException {
        JsonNode body = Answers.json(request);
        if (!body.isArray()) {
            throw Answers.badRequest("entries: expected a JSON array of {\"pattern\",\"key\"}, first wins");
        }
        List<Signing> entries = new ArrayList<>();
        for (JsonNode node : body) {
            if (!node.isObject()) {
                throw Answers.badRequest("entries: expected objects {\"pattern\",\"key\"}");
            }
            entries.add(signingEntry(node));
        }
        Answers.valid(() -> signingTable.write(Answers.current(signingTable).withEntries(entries)));
        LOGGER.info("webadmin: {} replaced the SigningTable ({} entries)", Answers.who(request), entries.size());
        return signingEntries();
    }

    /** {@code ?pattern=P}: its entries, or only the one with {@code &key=K}. */
    private synchronized String removeSigningEntries(Request request, Response response) throws IOException {
        String pattern = Optional.ofNullable(request.queryParams("pattern")).orElse("").trim();
        Optional<String> key = Optional.ofNullable(request.queryParams("key")).map(String::trim);
        Predicate<Signing> removed = entry -> entry.pattern().equals(pattern) && key.map(entry.key()::equals).orElse(true);
        EditableTable<Signing> table = Answers.current(signingTable);
        if (table.entries().stream().noneMatch(removed)) {
            throw Answers.notFound("pattern: no SigningTable entry '" + pattern + "'" + key.map(k -> " with key '" + k + "'").orElse(""));
        }
        Answers.valid(() -> signingTable.write(table.removeIf(removed)));
        LOGGER.info("webadmin: {} removed SigningTable entries {}{}", Answers.who(request), pattern, key.map(k -> " -> " + k).orElse(""));
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private Signing signingEntry(JsonNode body) throws IOException {
        return new Signing(Answers.text(body, "pattern"), knownKey(Answers.text(body, "key")));
    }

    private String knownKey(String name) throws IOException {
        if (key(Answers.current(keyTable), name).isEmpty()) {
            throw Answers.badRequest("key: '" + name + "' is not in the KeyTable");
        }
        return name;
    }

    private static Optional<Key> key(EditableTable<Key> keys, String name) {
        return keys.entries().stream().filter(key -> key.name().equals(name)).findFirst();
    }

    /** The key file and genkey's record file next to it, so that the selector can be made again. */
    private void deleteKeyFiles(Key key) throws IOException {
        Files.deleteIfExists(keyFile(key));
        Files.deleteIfExists(keyFile(key).resolveSibling(key.selector() + ".txt"));
    }

    /** Key paths are relative to the KeyTable's folder, as SignDkim reads them. */
    private Path keyFile(Key key) {
        return keyTable.file().toAbsolutePath().getParent().resolve(key.keyPath()).normalize();
    }

    private static Optional<Instant> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A DNS label, as it is written in the key's name and file name. */
    private static String selector(JsonNode body) {
        String value = Answers.text(body, "selector");
        if (!Domains.isLabel(value)) {
            throw Answers.badRequest("selector: '" + value + "': expected letters, digits and '-', e.g. mail2026");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static Optional<PrivateKey> readKey(Path file) {
        try {
            return Optional.of(PrivateKeys.read(file));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

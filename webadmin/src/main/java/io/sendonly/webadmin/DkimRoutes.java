package io.sendonly.webadmin;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.GenKey;
import io.sendonly.dkim.KeyTable;
import io.sendonly.dkim.PrivateKeys;
import io.sendonly.dkim.SigningTable;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * DKIM keys and the signing table, in the OpenDKIM files the server boots from ({@code conf/dkim/KeyTable},
 * {@code conf/dkim/SigningTable} in its {@code refile:} form, keys under {@code conf/dkim/keys/DOMAIN/}); SignDkim
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
 *   <li>{@code DELETE /sendonly/dkim/keys/NAME}: the KeyTable line and the key file; 409 while a SigningTable entry
 *       uses it;</li>
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
    private static final String KEY_TABLE = "file://conf/dkim/KeyTable";
    private static final String SIGNING_TABLE = "file://conf/dkim/SigningTable";
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
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

    private final FileSystem fileSystem;
    private final DNSService dns;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public DkimRoutes(FileSystem fileSystem, DNSService dns) {
        this.fileSystem = fileSystem;
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
        Path keyTable = file(KEY_TABLE);
        Set<String> used = Set.copyOf(signingTable().keyNames());
        return KeyTable.parse(TableFile.read(keyTable), "KeyTable").entries().stream()
            .map(entry -> {
                Path keyFile = keyTable.getParent().resolve(entry.keyPath());
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
        String domain = field(body, "domain", DOMAIN, "a domain name, e.g. example.com");
        String selector = field(body, "selector", SELECTOR, "letters, digits and '-', e.g. mail2026");
        String name = selector + "._domainkey." + domain;
        Path keyTable = file(KEY_TABLE);
        List<String> lines = TableFile.read(keyTable);
        if (KeyTable.parse(lines, "KeyTable").get(name).isPresent()) {
            throw Answers.conflict("selector: key " + name + " exists already");
        }
        Path directory = keyTable.getParent().resolve("keys").resolve(domain);
        if (Files.exists(directory.resolve(selector + ".private"))) {
            throw Answers.conflict("selector: " + directory.resolve(selector + ".private") + " exists already");
        }
        String txt = body.has("privateKey") ? importKey(body, domain, selector, directory) : generate(body, domain, selector, directory);
        lines.add(name + " " + domain + ":" + selector + ":keys/" + domain + "/" + selector + ".private");
        TableFile.write(keyTable, lines);
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
        return PublishedKeys.unquote(Files.readString(directory.resolve(selector + ".txt")));
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
        if (key.getAlgorithm().equals("RSA") && PrivateKeys.bitsOf(key) < 1024) {
            throw Answers.badRequest("privateKey: " + PrivateKeys.bitsOf(key) + " bits: verifiers ignore RSA keys under 1024 bits");
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
        Path keyTable = file(KEY_TABLE);
        List<String> lines = TableFile.read(keyTable);
        KeyTable.Entry entry = KeyTable.parse(lines, "KeyTable").get(name)
            .orElseThrow(() -> Answers.notFound("name: '" + name + "' is not in the KeyTable"));
        if (signingTable().keyNames().contains(name)) {
            throw Answers.conflict("name: '" + name + "' is used by the SigningTable; rotate to another key first");
        }
        lines.removeIf(line -> TableFile.content(line).split("\\s+")[0].equals(name));
        TableFile.write(keyTable, lines);
        Files.deleteIfExists(keyTable.getParent().resolve(entry.keyPath()));
        LOGGER.info("webadmin: {} deleted DKIM key {}", Answers.who(request), name);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private synchronized List<SigningEntryDto> rotate(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        String pattern = body.path("pattern").asText("").trim();
        String key = body.path("key").asText("").trim();
        if (!keyNames().contains(key)) {
            throw Answers.badRequest("key: '" + key + "' is not in the KeyTable");
        }
        List<String> lines = TableFile.read(file(SIGNING_TABLE));
        boolean any = lines.stream().map(TableFile::content).anyMatch(line -> line.split("\\s+")[0].equals(pattern));
        if (!any) {
            throw Answers.notFound("pattern: '" + pattern + "' is not in the SigningTable");
        }
        String status = check(key).status();
        if (!status.equals("published") && !body.path("force").asBoolean(false)) {
            throw Answers.conflict("key: the DNS record of '" + key + "' is " + status + "; publish it first, or force");
        }
        List<String> rotated = lines.stream()
            .map(line -> TableFile.content(line).split("\\s+")[0].equals(pattern) ? pattern + " " + key : line)
            .collect(Collectors.toList());
        TableFile.write(file(SIGNING_TABLE), rotated);
        LOGGER.info("webadmin: {} rotated SigningTable {} to sign with {} (DNS {})", Answers.who(request), pattern, key, status);
        return signingEntries();
    }

    private DnsCheckDto dnsCheck(Request request, Response response) throws IOException {
        return check(request.params("name"));
    }

    private DnsCheckDto check(String name) throws IOException {
        Path keyTable = file(KEY_TABLE);
        KeyTable.Entry entry = KeyTable.parse(TableFile.read(keyTable), "KeyTable").get(name)
            .orElseThrow(() -> Answers.notFound("name: '" + name + "' is not in the KeyTable"));
        Path keyFile = keyTable.getParent().resolve(entry.keyPath());
        Optional<String> expected = PublishedKeys.expected(keyFile, entry.selector());
        String dnsName = entry.selector() + "._domainkey." + entry.domain();
        List<String> records = dns.findTXTRecords(dnsName).stream().map(PublishedKeys::unquote)
            .filter(record -> record.contains("p=") || record.startsWith("v=DKIM1")).toList();
        if (records.isEmpty()) {
            return new DnsCheckDto(name, "missing", Optional.empty(), expected);
        }
        String record = records.get(0);
        Optional<String> published = PublishedKeys.publicKeyOf(record);
        if (published.isEmpty()) {
            return new DnsCheckDto(name, "syntaxError", Optional.of(record), expected);
        }
        boolean matches = expected.map(published.get()::equals).orElse(false);
        return new DnsCheckDto(name, matches ? "published" : "mismatch", Optional.of(record), expected);
    }

    private synchronized List<SigningEntryDto> signingEntries() throws IOException {
        return TableFile.read(file(SIGNING_TABLE)).stream().map(TableFile::content).filter(line -> !line.isEmpty())
            .map(line -> line.split("\\s+", 2))
            .filter(fields -> fields.length == 2)
            .map(fields -> new SigningEntryDto(fields[0], fields[1]))
            .toList();
    }

    /** Appended, or inserted before the entry at {@code position} (0 is first, which wins over the rest). */
    private synchronized String addSigningEntry(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        SigningEntryDto entry = signingEntry(body, keyNames());
        List<String> lines = TableFile.read(file(SIGNING_TABLE));
        List<Integer> entryLines = signingEntryLines(lines);
        int position = body.has("position") ? body.get("position").asInt(-1) : entryLines.size();
        if (!body.path("position").isMissingNode() && (!body.get("position").isInt() || position < 0 || position > entryLines.size())) {
            throw Answers.badRequest("position: '" + body.get("position") + "': expected 0 to " + entryLines.size());
        }
        int at = position == entryLines.size() ? lines.size() : entryLines.get(position);
        lines.add(at, entry.pattern() + " " + entry.key());
        TableFile.write(file(SIGNING_TABLE), lines);
        LOGGER.info("webadmin: {} added SigningTable entry {} -> {} at position {}", Answers.who(request), entry.pattern(), entry.key(), position);
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    /** The whole table in a new order (or with entries changed): the comments before the first entry are kept. */
    private synchronized List<SigningEntryDto> replaceSigningTable(Request request, Response response) throws IOException {
        JsonNode body = Answers.json(request);
        if (!body.isArray()) {
            throw Answers.badRequest("entries: expected a JSON array of {\"pattern\",\"key\"}, first wins");
        }
        Set<String> keys = keyNames();
        List<String> lines = TableFile.read(file(SIGNING_TABLE));
        List<Integer> entryLines = signingEntryLines(lines);
        List<String> rewritten = new ArrayList<>(lines.subList(0, entryLines.isEmpty() ? lines.size() : entryLines.get(0)));
        for (JsonNode node : body) {
            if (!node.isObject()) {
                throw Answers.badRequest("entries: expected objects {\"pattern\",\"key\"}");
            }
            SigningEntryDto entry = signingEntry(node, keys);
            rewritten.add(entry.pattern() + " " + entry.key());
        }
        TableFile.write(file(SIGNING_TABLE), rewritten);
        LOGGER.info("webadmin: {} replaced the SigningTable ({} entries)", Answers.who(request), body.size());
        return signingEntries();
    }

    /** {@code ?pattern=P}: its entries, or only the one with {@code &key=K}. */
    private synchronized String removeSigningEntries(Request request, Response response) throws IOException {
        String pattern = Optional.ofNullable(request.queryParams("pattern")).orElse("").trim();
        Optional<String> key = Optional.ofNullable(request.queryParams("key")).map(String::trim);
        List<String> lines = TableFile.read(file(SIGNING_TABLE));
        boolean removed = lines.removeIf(line -> {
            String[] fields = TableFile.content(line).split("\\s+");
            return fields.length == 2 && fields[0].equals(pattern) && key.map(fields[1]::equals).orElse(true);
        });
        if (!removed) {
            throw Answers.notFound("pattern: no SigningTable entry '" + pattern + "'" + key.map(k -> " with key '" + k + "'").orElse(""));
        }
        TableFile.write(file(SIGNING_TABLE), lines);
        LOGGER.info("webadmin: {} removed SigningTable entries {}{}", Answers.who(request), pattern, key.map(k -> " -> " + k).orElse(""));
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private static SigningEntryDto signingEntry(JsonNode body, Set<String> keyNames) {
        String pattern = body.path("pattern").asText("").trim();
        if (pattern.isEmpty() || pattern.chars().anyMatch(Character::isWhitespace)) {
            throw Answers.badRequest("pattern: expected an address or pattern, e.g. *@example.com");
        }
        String key = body.path("key").asText("").trim();
        if (!keyNames.contains(key)) {
            throw Answers.badRequest("key: '" + key + "' is not in the KeyTable");
        }
        return new SigningEntryDto(pattern, key);
    }

    /** The indexes of the lines holding entries, in order. */
    private static List<Integer> signingEntryLines(List<String> lines) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!TableFile.content(lines.get(i)).isEmpty()) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    private Set<String> keyNames() throws IOException {
        return KeyTable.parse(TableFile.read(file(KEY_TABLE)), "KeyTable").entries().stream().map(KeyTable.Entry::name)
            .collect(Collectors.toSet());
    }

    private static Optional<Instant> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private SigningTable signingTable() throws IOException {
        return SigningTable.parse(TableFile.read(file(SIGNING_TABLE)), "SigningTable", true);
    }

    private static String field(JsonNode body, String name, Pattern pattern, String expected) {
        String value = body.path(name).asText("").trim().toLowerCase();
        if (!pattern.matcher(value).matches()) {
            throw Answers.badRequest(name + ": '" + body.path(name).asText("") + "': expected " + expected);
        }
        return value;
    }

    private static Optional<PrivateKey> readKey(Path file) {
        try {
            return Optional.of(PrivateKeys.read(file));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Path file(String url) throws FileNotFoundException {
        return fileSystem.getFile(url).toPath();
    }
}

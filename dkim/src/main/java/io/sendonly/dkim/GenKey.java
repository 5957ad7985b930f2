package io.sendonly.dkim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * genkey: makes a DKIM key pair, as opendkim-genkey does.
 *
 * <pre>
 * genkey [options]
 *   -a, --algorithm=rsa|ed25519  key type [rsa]
 *   -b, --bits=n                 RSA key size, 1024 to 4096 [2048]
 *   -d, --domain=name            domain the key signs for [localhost]
 *   -D, --directory=path         where to write the files [.]
 *   -s, --selector=name          selector, also the file names [default]
 *   -r, --restrict               restrict the key to email (s=email)
 *   -t, --testmode               mark the key as in test mode (t=y)
 *   -h, --hash-algorithms=list   accepted for compatibility; only sha256 is made
 *   -v, --verbose                say what is written
 *       --help                   this text
 * </pre>
 * Writes {@code SELECTOR.private} (PEM PKCS#8, mode 0600) and {@code SELECTOR.txt}, the TXT record in zone-file form,
 * split into quoted strings of at most 255 characters like opendkim-genkey's. Existing files are never overwritten.
 * Exit codes (sysexits.h): 0, 64 usage, 73 cannot create a file.
 */
public final class GenKey {
    static final int EX_USAGE = 64;
    static final int EX_CANTCREAT = 73;
    private static final int MAX_STRING = 255;

    private record Options(String algorithm, int bits, String domain, Path directory, String selector, boolean restrict,
                           boolean testMode, boolean verbose) {
    }

    private GenKey() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("genkey: " + e.getMessage());
            err.println(usage());
            return EX_USAGE;
        }
        if (options == null) {
            out.println(usage());
            return 0;
        }
        try {
            KeyPair pair = generate(options);
            Path privateFile = options.directory().resolve(options.selector() + ".private");
            Path recordFile = options.directory().resolve(options.selector() + ".txt");
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
            writeNew(privateFile, pem);
            writeNew(recordFile, zoneRecord(options, DkimRecord.of(pair.getPublic(), options.restrict(), options.testMode())));
            if (options.verbose()) {
                out.println("genkey: wrote " + privateFile + " and " + recordFile);
            }
            return 0;
        } catch (IOException e) {
            err.println("genkey: cannot create " + e.getMessage());
            return EX_CANTCREAT;
        }
    }

    /** {@code selector._domainkey IN TXT ( "v=DKIM1; ..." "p=..." ) ; ----- DKIM key selector for domain}. */
    public static String zoneRecord(String selector, String domain, String record) {
        int p = record.indexOf("p=");
        List<String> strings = new ArrayList<>();
        strings.add(record.substring(0, p));
        String key = record.substring(p);
        for (int start = 0; start < key.length(); start += MAX_STRING) {
            strings.add(key.substring(start, Math.min(key.length(), start + MAX_STRING)));
        }
        return selector + "._domainkey\tIN\tTXT\t( \"" + String.join("\"\n\t  \"", strings) + "\" )  ; ----- DKIM key "
            + selector + " for " + domain + "\n";
    }

    private static String zoneRecord(Options options, String record) {
        return zoneRecord(options.selector(), options.domain(), record);
    }

    private static KeyPair generate(Options options) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(options.algorithm().equals("rsa") ? "RSA" : "Ed25519");
            if (options.algorithm().equals("rsa")) {
                generator.initialize(options.bits());
            }
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeNew(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + ": already exists, not overwritten", e);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static Options parse(String[] args) {
        String algorithm = "rsa";
        int bits = 2048;
        String domain = "localhost";
        Path directory = Path.of(".");
        String selector = "default";
        boolean restrict = false;
        boolean testMode = false;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(0, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "--help" -> {
                    return null;
                }
                case "-r", "--restrict" -> restrict = true;
                case "-t", "--testmode" -> testMode = true;
                case "-v", "--verbose" -> verbose = true;
                case "-a", "--algorithm", "-b", "--bits", "-d", "--domain", "-D", "--directory", "-s", "--selector",
                     "-h", "--hash-algorithms" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "-a", "--algorithm" -> algorithm = algorithm(value);
                        case "-b", "--bits" -> bits = bits(value);
                        case "-d", "--domain" -> domain = value;
                        case "-D", "--directory" -> directory = Path.of(value);
                        case "-s", "--selector" -> selector = selector(value);
                        default -> hashAlgorithms(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(algorithm, bits, domain, directory, selector, restrict, testMode, verbose);
    }

    private static String algorithm(String value) {
        if (!value.equals("rsa") && !value.equals("ed25519")) {
            throw new IllegalArgumentException("--algorithm '" + value + "': expected rsa or ed25519");
        }
        return value;
    }

    private static int bits(String value) {
        if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) < DkimSigning.MIN_RSA_BITS || Integer.parseInt(value) > 4096) {
            throw new IllegalArgumentException("--bits '" + value + "': expected 1024 to 4096");
        }
        return Integer.parseInt(value);
    }

    private static String selector(String value) {
        if (!value.matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("--selector '" + value + "': letters, digits, '.', '-' and '_' only");
        }
        return value;
    }

    private static void hashAlgorithms(String value) {
        if (!value.contains("sha256")) {
            throw new IllegalArgumentException("--hash-algorithms '" + value + "': only sha256 is supported");
        }
    }

    static String usage() {
        return """
            usage: genkey [options]
              -a, --algorithm=rsa|ed25519  key type [rsa]
              -b, --bits=n                 RSA key size, 1024 to 4096 [2048]
              -d, --domain=name            domain the key signs for [localhost]
              -D, --directory=path         where to write the files [.]
              -s, --selector=name          selector, also the file names [default]
              -r, --restrict               restrict the key to email (s=email)
              -t, --testmode               mark the key as in test mode (t=y)
              -h, --hash-algorithms=list   accepted for compatibility; only sha256 is made
              -v, --verbose                say what is written
                  --help                   this text""";
    }
}

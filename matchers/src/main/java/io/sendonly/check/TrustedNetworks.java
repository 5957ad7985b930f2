package io.sendonly.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.google.common.collect.ImmutableList;
import com.google.common.net.InetAddresses;

import io.sendonly.config.Domains;
import io.sendonly.config.TableLines;

/**
 * The clients allowed to relay, read from an OpenDKIM-style {@code TrustedHosts} file: one entry per line, an IP
 * address, a CIDR block or a host name (resolved once, at load); {@code #} starts a comment; a leading {@code !}
 * excludes the entry, and exclusions win over inclusions as in OpenDKIM. Immutable.
 */
public final class TrustedNetworks {
    /** Postfix's {@code mynetworks} for a loopback-only server: what applies when no file is configured. */
    public static final TrustedNetworks LOOPBACK = new TrustedNetworks(ImmutableList.of(
        Block.parse("127.0.0.0/8", false), Block.parse("::1/128", false)));

    private final List<Block> blocks;

    private TrustedNetworks(List<Block> blocks) {
        this.blocks = ImmutableList.copyOf(blocks);
    }

    public static TrustedNetworks load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read TrustedHosts file: " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    /** @param source names the input in error messages, which read {@code source:line: problem}. */
    public static TrustedNetworks parse(List<String> lines, String source) {
        ImmutableList.Builder<Block> blocks = ImmutableList.builder();
        for (TableLines.Line line : TableLines.of(lines, source)) {
            blocks.addAll(line.<List<Block>>parse(entry -> parseEntry(entry.content())));
        }
        return new TrustedNetworks(blocks.build());
    }

    public boolean isTrusted(InetAddress client) {
        boolean included = false;
        for (Block block : blocks) {
            if (block.contains(client)) {
                if (block.excluded) {
                    return false;
                }
                included = true;
            }
        }
        return included;
    }

    /** @param client an IP literal as James records it ({@code Mail.getRemoteAddr()}); anything else is untrusted. */
    public boolean isTrusted(String client) {
        return parseLiteral(client).map(this::isTrusted).orElse(false);
    }

    private static Optional<InetAddress> parseLiteral(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        return InetAddresses.isInetAddress(bare) ? Optional.of(InetAddresses.forString(bare)) : Optional.empty();
    }

    private static List<Block> parseEntry(String entry) {
        boolean excluded = entry.startsWith("!");
        String value = excluded ? entry.substring(1).trim() : entry;
        if (value.contains("/") || InetAddresses.isInetAddress(value)) {
            return ImmutableList.of(Block.parse(value, excluded));
        }
        if (!Domains.isHostName(value)) {
            throw new IllegalArgumentException("'" + value + "' is neither an IP address, a CIDR block nor a host name");
        }
        try {
            ImmutableList.Builder<Block> resolved = ImmutableList.builder();
            for (InetAddress address : InetAddress.getAllByName(value)) {
                resolved.add(new Block(address.getAddress(), address.getAddress().length * 8, excluded));
            }
            return resolved.build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host name '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return blocks.toString();
    }

    private static final class Block {
        private final byte[] network;
        private final int prefixLength;
        private final boolean excluded;

        static Block parse(String cidr, boolean excluded) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!InetAddresses.isInetAddress(address)) {
                throw new IllegalArgumentException("'" + address + "' is not an IP address");
            }
            byte[] bytes = InetAddresses.forString(address).getAddress();
            int maxPrefix = bytes.length * 8;
            int prefix = maxPrefix;
            if (slash >= 0) {
                String length = cidr.substring(slash + 1);
                if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > maxPrefix) {
                    throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length: expected 0 to " + maxPrefix);
                }
                prefix = Integer.parseInt(length);
            }
            return new Block(bytes, prefix, excluded);
        }

        private Block(byte[] network, int prefixLength, boolean excluded) {
            this.network = network;
            this.prefixLength = prefixLength;
            this.excluded = excluded;
        }

        boolean contains(InetAddress client) {
            byte[] candidate = client.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }

        @Override
        public String toString() {
            return (excluded ? "!" : "") + InetAddresses.toAddrString(toAddress()) + "/" + prefixLength;
        }

        private InetAddress toAddress() {
            try {
                return InetAddress.getByAddress(network);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

package io.sendonly.preflight;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A zone in memory; names in {@link #failing} answer as a DNS server that times out. */
final class FakeDns implements Dns {
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, List<InetAddress>> addresses = new HashMap<>();
    private final Map<InetAddress, List<String>> names = new HashMap<>();
    private final Set<String> failing = new HashSet<>();

    FakeDns txt(String name, String value) {
        txt.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        return this;
    }

    FakeDns a(String name, String ip) {
        addresses.computeIfAbsent(name, key -> new ArrayList<>()).add(address(ip));
        return this;
    }

    FakeDns ptr(String ip, String name) {
        names.computeIfAbsent(address(ip), key -> new ArrayList<>()).add(name);
        return this;
    }

    FakeDns failing(String name) {
        failing.add(name);
        return this;
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public List<String> txt(String name) throws DnsFailure {
        fail(name);
        return txt.getOrDefault(name, List.of());
    }

    @Override
    public List<InetAddress> addresses(String name) throws DnsFailure {
        fail(name);
        return addresses.getOrDefault(name, List.of());
    }

    @Override
    public List<String> names(InetAddress address) throws DnsFailure {
        fail(address.getHostAddress());
        return names.getOrDefault(address, List.of());
    }

    private void fail(String name) throws DnsFailure {
        if (failing.contains(name)) {
            throw new DnsFailure(name + ": timed out");
        }
    }
}

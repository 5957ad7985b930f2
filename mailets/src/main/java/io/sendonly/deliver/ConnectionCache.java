package io.sendonly.deliver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sendonly.route.NextHop;
import io.sendonly.smtp.SmtpSession;

/**
 * Open SMTP connections waiting for the next message to the same host, as Postfix's connection cache
 * ({@code smtp_connection_cache_time_limit}, {@code smtp_connection_reuse_time_limit}): a connection idle longer
 * than {@code idleLimit}, or open longer than {@code ageLimit}, is closed instead of reused. Connections are keyed by
 * address, hop and TLS requirement, so that a connection is only reused with the credentials it was opened with and
 * for the requirement its certificate was checked against.
 */
final class ConnectionCache implements AutoCloseable {
    /** @param tlsRequirement what the connection's TLS was held to ({@link io.sendonly.tls.HostTls.Connect#requirement()}) */
    record Key(InetSocketAddress address, NextHop hop, String tlsRequirement) {
    }

    private record Idle(SmtpSession session, long since) {
    }

    private static final int MAX_IDLE = 64;

    private final long idleLimitNanos;
    private final long ageLimitNanos;
    private final Map<Key, Deque<Idle>> idle = new HashMap<>();
    private int size;

    ConnectionCache(Duration idleLimit, Duration ageLimit) {
        this.idleLimitNanos = idleLimit.toNanos();
        this.ageLimitNanos = ageLimit.toNanos();
    }

    /** An idle connection to this host, most recently used first, if any. */
    Optional<SmtpSession> take(Key key) {
        sweep();
        synchronized (this) {
            Deque<Idle> sessions = idle.get(key);
            if (sessions == null || sessions.isEmpty()) {
                return Optional.empty();
            }
            size--;
            return Optional.of(sessions.pollFirst().session());
        }
    }

    /** @return true when the cache keeps the connection; otherwise the caller closes it */
    boolean give(Key key, SmtpSession session) {
        long now = System.nanoTime();
        if (idleLimitNanos == 0 || now - session.openedAt() > ageLimitNanos) {
            return false;
        }
        synchronized (this) {
            if (size >= MAX_IDLE) {
                return false;
            }
            idle.computeIfAbsent(key, any -> new ArrayDeque<>()).addFirst(new Idle(session, now));
            size++;
            return true;
        }
    }

    /** Closes the connections idle for too long; called on each use and periodically. */
    void sweep() {
        long now = System.nanoTime();
        List<SmtpSession> expired = new ArrayList<>();
        synchronized (this) {
            for (Deque<Idle> sessions : idle.values()) {
                for (Iterator<Idle> it = sessions.iterator(); it.hasNext(); ) {
                    Idle entry = it.next();
                    if (now - entry.since() > idleLimitNanos || now - entry.session().openedAt() > ageLimitNanos) {
                        it.remove();
                        size--;
                        expired.add(entry.session());
                    }
                }
            }
        }
        expired.forEach(ConnectionCache::quit);
    }

    @Override
    public void close() {
        List<SmtpSession> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(sessions -> sessions.forEach(entry -> all.add(entry.session())));
            idle.clear();
            size = 0;
        }
        all.forEach(ConnectionCache::quit);
    }

    private static void quit(SmtpSession session) {
        session.quit();
        session.close();
    }
}

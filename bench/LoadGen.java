import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tiny SMTP load generator for bench/run.sh: C concurrent connections send N messages in total
 * (K per connection, then QUIT and reconnect; K=0: keep the connection for the whole run), and
 * record for every message the time from the end-of-data "." to the server's 250 reply.
 *
 * Usage: java LoadGen.java HOST PORT N C [--per-conn K] [--size BYTES] [--from A] [--to A]
 *
 * Plain SMTP in lock step (no PIPELINING, no STARTTLS), like smtp-source. Prints one line
 * "loadgen ok=.. failed=.. ..." with epoch times (first connect, last reply), the client-side accept
 * rate, DATA-to-250 latency percentiles in ms and this process's own CPU seconds. Exit code 0 when
 * all N messages got a 2xx reply, 1 otherwise. Loopback only: refuses any other target address.
 */
public class LoadGen {
    static String host;
    static int port;
    static int total;
    static int perConn;
    static int size = 2048;
    static String from = "bench@example.com";
    static String to = "rcpt@example.net";

    static final AtomicInteger next = new AtomicInteger();
    static final AtomicInteger ok = new AtomicInteger();
    static final AtomicInteger failed = new AtomicInteger();
    static final AtomicInteger connects = new AtomicInteger();
    static final AtomicInteger ioErrors = new AtomicInteger();
    static final AtomicLong firstConnectMs = new AtomicLong(Long.MAX_VALUE);
    static final AtomicLong lastReplyMs = new AtomicLong(0);
    static long[] latencyNs;
    static volatile String lastError = "";

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LoadGen HOST PORT N C [--per-conn K] [--size BYTES] [--from A] [--to A]");
            System.exit(2);
        }
        host = args[0];
        port = Integer.parseInt(args[1]);
        total = Integer.parseInt(args[2]);
        int conc = Integer.parseInt(args[3]);
        for (int i = 4; i < args.length; i += 2) {
            switch (args[i]) {
                case "--per-conn": perConn = Integer.parseInt(args[i + 1]); break;
                case "--size": size = Integer.parseInt(args[i + 1]); break;
                case "--from": from = args[i + 1]; break;
                case "--to": to = args[i + 1]; break;
                default: System.err.println("unknown option " + args[i]); System.exit(2);
            }
        }
        if (!java.net.InetAddress.getByName(host).isLoopbackAddress()) {
            System.err.println("loadgen: refusing non-loopback target " + host);
            System.exit(2);
        }
        latencyNs = new long[total];
        Arrays.fill(latencyNs, -1);

        Thread[] threads = new Thread[conc];
        for (int t = 0; t < conc; t++) {
            final int id = t;
            threads[t] = new Thread(() -> worker(id), "loadgen-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        long[] lat = Arrays.stream(latencyNs).filter(v -> v >= 0).sorted().toArray();
        double cpuS = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
        long t0 = firstConnectMs.get() == Long.MAX_VALUE ? System.currentTimeMillis() : firstConnectMs.get();
        long t1 = Math.max(lastReplyMs.get(), t0);
        double secs = Math.max(1e-3, (t1 - t0) / 1000.0);
        System.out.printf(java.util.Locale.ROOT,
            "loadgen ok=%d failed=%d io_errors=%d connects=%d t_first_connect=%.3f t_last_reply=%.3f accept_s=%.2f accept_per_s=%.1f"
                + " lat_p50_ms=%.2f lat_p90_ms=%.2f lat_p99_ms=%.2f lat_max_ms=%.2f lat_mean_ms=%.2f loadgen_cpu_s=%.2f%s%n",
            ok.get(), failed.get(), ioErrors.get(), connects.get(), t0 / 1000.0, t1 / 1000.0, secs, ok.get() / secs,
            pct(lat, 50), pct(lat, 90), pct(lat, 99), lat.length > 0 ? lat[lat.length - 1] / 1e6 : 0.0,
            lat.length > 0 ? Arrays.stream(lat).average().orElse(0) / 1e6 : 0.0, cpuS,
            lastError.isEmpty() ? "" : " last_error=\"" + lastError.replace('"', '\'') + "\"");
        System.exit(ok.get() == total ? 0 : 1);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1; // nearest-rank
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    static byte[] message(int seq) {
        StringBuilder sb = new StringBuilder(size + 512);
        sb.append("From: <").append(from).append(">\r\n")
            .append("To: <").append(to).append(">\r\n")
            .append("Date: ").append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now())).append("\r\n")
            .append("Message-ID: <loadgen.").append(seq).append('.').append(System.nanoTime()).append("@client.example.com>\r\n")
            .append("Subject: loadgen bench ").append(seq).append("\r\n")
            .append("MIME-Version: 1.0\r\n")
            .append("Content-Type: text/plain; charset=us-ascii\r\n")
            .append("\r\n");
        // body: `size` bytes of 78-character lines (CRLF included), like smtp-source -l
        int body = 0;
        int line = 0;
        while (body < size) {
            String l = String.format("%06d La de da de da, loadgen body line of a transactional mail. ", line++);
            int room = Math.min(78, size - body) - 2;
            if (room <= 0) {
                break;
            }
            StringBuilder lb = new StringBuilder(l);
            while (lb.length() < room) {
                lb.append('x');
            }
            lb.setLength(room);
            sb.append(lb).append("\r\n");
            body += room + 2;
        }
        sb.append(".\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void worker(int id) {
        int consecutiveIoErrors = 0;
        while (next.get() < total && consecutiveIoErrors < 5) {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(120_000);
                s.connect(new InetSocketAddress(host, port), 30_000);
                connects.incrementAndGet();
                firstConnectMs.accumulateAndGet(System.currentTimeMillis(), Math::min);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                expect(in, 220, "greeting");
                cmd(out, "EHLO client.example.com");
                expect(in, 250, "EHLO");
                int sent = 0;
                while (perConn == 0 || sent < perConn) {
                    int seq = next.getAndIncrement();
                    if (seq >= total) {
                        break;
                    }
                    sent++;
                    try {
                        cmd(out, "MAIL FROM:<" + from + ">");
                        expect(in, 250, "MAIL");
                        cmd(out, "RCPT TO:<" + to + ">");
                        expect(in, 250, "RCPT");
                        cmd(out, "DATA");
                        expect(in, 354, "DATA");
                        byte[] msg = message(seq);
                        // everything but the final ".\r\n" first, then the terminator: the clock starts
                        // when the server has the whole message
                        out.write(msg, 0, msg.length - 3);
                        out.flush();
                        long t0 = System.nanoTime();
                        out.write(msg, msg.length - 3, 3);
                        out.flush();
                        expect(in, 250, "end of DATA");
                        latencyNs[seq] = System.nanoTime() - t0;
                        lastReplyMs.accumulateAndGet(System.currentTimeMillis(), Math::max);
                        ok.incrementAndGet();
                        consecutiveIoErrors = 0;
                    } catch (SmtpReplyException e) {
                        failed.incrementAndGet();
                        lastError = e.getMessage();
                        cmd(out, "RSET");
                        expect(in, 250, "RSET");
                    }
                }
                cmd(out, "QUIT");
                try {
                    readReply(in);
                } catch (IOException ignored) {
                    // server may close first
                }
            } catch (IOException | RuntimeException e) {
                ioErrors.incrementAndGet();
                consecutiveIoErrors++;
                lastError = "thread " + id + ": " + e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        if (consecutiveIoErrors >= 5) {
            // give up on this connection slot: count the rest as failed only once at the end (main counts ok)
            lastError = "thread " + id + " gave up after 5 I/O errors: " + lastError;
        }
    }

    static final class SmtpReplyException extends IOException {
        SmtpReplyException(String m) {
            super(m);
        }
    }

    static void cmd(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static void expect(InputStream in, int code, String what) throws IOException {
        String reply = readReply(in);
        if (!reply.startsWith(Integer.toString(code))) {
            if (reply.startsWith("4") || reply.startsWith("5")) {
                throw new SmtpReplyException(what + ": " + reply.trim());
            }
            throw new IOException(what + ": unexpected reply " + reply.trim());
        }
    }

    /** Reads one (possibly multi-line) SMTP reply; returns its last line. */
    static String readReply(InputStream in) throws IOException {
        while (true) {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c == -1) {
                throw new IOException("connection closed by server");
            }
            if (sb.length() < 4 || sb.charAt(3) != '-') {
                return sb.toString();
            }
        }
    }
}

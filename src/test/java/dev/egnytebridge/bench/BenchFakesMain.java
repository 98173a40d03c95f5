package dev.egnytebridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.sandbox.RecordedRequest;

/**
 * The benchmarks' fakes in a process of their own ({@link OutOfProcessFakes} starts it): the fake Egnyte
 * ({@link EgnyteSimulator}), webhook receivers ({@link BenchReceiver}, fast or answering after a delay) and black holes
 * (accept the TCP connection, never read or answer), all on 127.0.0.1, each receiver and black hole on its own port.
 * The measured JVM (bridge or baseline) then carries none of their CPU. Controlled by one command per line on stdin;
 * every answer is one line starting with {@value #PREFIX} (anything else on stdout is not an answer). Started with
 * nothing, it is also the "JVM doing nothing" of the idle benchmark. Exits when stdin closes (its parent is gone).
 */
public final class BenchFakesMain {

    static final String PREFIX = "@@ ";

    private final PrintStream out;
    private EgnyteSimulator egnyte;
    private final Map<Integer, BenchReceiver> receivers = new ConcurrentHashMap<>();
    private final Map<Integer, BlackHole> blackHoles = new ConcurrentHashMap<>();

    private BenchFakesMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // logging and anything else printed goes to stderr, not into the answers
        BenchFakesMain main = new BenchFakesMain(protocol);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.println(PREFIX + "ready");
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("quit")) {
                main.reply("ok");
                break;
            }
            try {
                main.command(line.split(" "));
            } catch (Exception e) {
                main.reply("err " + e.toString().replace('\n', ' '));
            }
        }
        main.close();
        System.exit(0);
    }

    private void reply(String answer) {
        out.println(PREFIX + answer);
    }

    private void command(String[] c) throws Exception {
        switch (c[0]) {
            case "egnyte" -> {
                if (egnyte == null) {
                    egnyte = new EgnyteSimulator().start();
                    egnyte.acceptAnyCode(true);
                }
                reply("ok " + egnyte.baseUrl());
            }
            case "token" -> {
                egnyte.registerToken(c[1]);
                reply("ok");
            }
            case "events" -> reply("ok " + egnyte.addEvents(Integer.parseInt(c[1])));
            case "latest" -> reply("ok " + egnyte.latestEventId());
            case "calls" -> {
                String bearer = "Bearer " + c[1];
                long n = egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).count();
                reply("ok " + n);
            }
            case "tokens" -> {
                Set<String> seen = new HashSet<>();
                for (RecordedRequest r : egnyte.requestsTo("/pubapi/")) {
                    String a = r.header("Authorization");
                    if (a != null) {
                        seen.add(a);
                    }
                }
                reply("ok " + seen.size());
            }
            case "pubapi" -> reply("ok " + egnyte.requestsTo("/pubapi/").size());
            case "clear-requests" -> {
                egnyte.clearRequests();
                reply("ok");
            }
            case "receiver" -> {
                BenchReceiver r = new BenchReceiver(Long.parseLong(c[1]), c.length > 2 && !c[2].equals("-") ? c[2] : null);
                receivers.put(r.port(), r);
                reply("ok " + r.port());
            }
            case "blackhole" -> {
                BlackHole b = new BlackHole();
                blackHoles.put(b.port(), b);
                reply("ok " + b.port());
            }
            case "record" -> {
                receiver(c[1]).recordTimes(Boolean.parseBoolean(c[2]));
                reply("ok");
            }
            case "reset" -> {
                receiver(c[1]).reset();
                reply("ok");
            }
            case "stats" -> reply("ok " + receiver(c[1]).stats());
            case "await" -> reply("ok " + await(c));
            case "times" -> {
                List<String> times = receiver(c[1]).times();
                StringBuilder sb = new StringBuilder("ok ").append(times.size());
                for (String t : times) {
                    sb.append(' ').append(t.replace(' ', '='));
                }
                reply(sb.toString());
            }
            case "accepted" -> reply("ok " + blackHoles.get(Integer.parseInt(c[1])).accepted());
            default -> reply("err unknown command " + c[0]);
        }
    }

    private BenchReceiver receiver(String port) {
        BenchReceiver r = receivers.get(Integer.parseInt(port));
        if (r == null) {
            throw new IllegalArgumentException("no receiver on port " + port);
        }
        return r;
    }

    /** {@code await <timeoutMs> <port>:<count> ...}: "met" once every receiver has counted that many, else "timeout". */
    private String await(String[] c) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(c[1]));
        BenchReceiver[] waitFor = new BenchReceiver[c.length - 2];
        long[] counts = new long[c.length - 2];
        for (int i = 2; i < c.length; i++) {
            String[] pc = c[i].split(":");
            waitFor[i - 2] = receiver(pc[0]);
            counts[i - 2] = Long.parseLong(pc[1]);
        }
        while (true) {
            boolean met = true;
            for (int i = 0; i < waitFor.length && met; i++) {
                met = waitFor[i].count() >= counts[i];
            }
            if (met) {
                return "met";
            }
            if (System.nanoTime() > deadline) {
                return "timeout";
            }
            // a 10 ms look: the figures take their end from the receivers' arrival times, not from this answer
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private void close() {
        receivers.values().forEach(BenchReceiver::close);
        blackHoles.values().forEach(BlackHole::close);
        if (egnyte != null) {
            egnyte.close();
        }
    }

    /** Accepts every TCP connection and keeps it open without reading or answering. */
    static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "bench-black-hole-" + server.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : held) {
                    s.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

package dev.egnytebridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link BenchFakesMain} in a JVM of its own (this JVM's java binary and classpath) and talks to it over its
 * stdin/stdout. The fake Egnyte, the receivers and the black holes then run outside the measured process: the CPU the
 * benchmarks read with {@link BenchFigures#processCpuNanos()} is the bridge's (or the baseline loop's) and the
 * harness's alone. The fakes process's own CPU is read from the outside ({@link #cpuNanos()}) and reported next to it.
 * Started with no fake, the same process is a "JVM doing nothing", the idle benchmark's baseline.
 */
final class OutOfProcessFakes implements AutoCloseable {

    /** Arrival statistics of one receiver. */
    record Stats(long count, long valid, long invalid, long lastMicros, int maxInFlight) {
    }

    private final Process process;
    private final PrintStream in;
    private final BufferedReader out;
    private String egnyteBaseUrl;

    private OutOfProcessFakes(Process process) {
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A new fakes process with nothing started yet; its stderr (logs) goes to target/{logName}. */
    static OutOfProcessFakes start(String logName, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(BenchFakesMain.class.getName());
        try {
            Path log = Path.of("target", logName);
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            OutOfProcessFakes fakes = new OutOfProcessFakes(p);
            fakes.expect("ready");
            return fakes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fakes with the fake Egnyte running (1 GiB heap: the simulator keeps up to 500,000 events). TCP_NODELAY on
     * the JDK HTTP server's sockets ({@code sun.net.httpserver.nodelay}): without it an events page (headers and body
     * written separately) waits for the client's delayed ACK, about 40 ms a page, which capped any drain at about
     * 2,100 events/s whoever the client was.
     */
    static OutOfProcessFakes withEgnyte(String logName) {
        OutOfProcessFakes fakes = start(logName, "-Xmx1g", "-Dsun.net.httpserver.nodelay=true");
        fakes.egnyteBaseUrl = fakes.call("egnyte");
        return fakes;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user + system, every thread) of the fakes process so far, in nanoseconds; -1 when unknown. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    String egnyteBaseUrl() {
        return egnyteBaseUrl;
    }

    void registerToken(String token) {
        call("token " + token);
    }

    /** Adds n events to the fake Egnyte; returns the last event's id. */
    long addEvents(int n) {
        return Long.parseLong(call("events " + n));
    }

    long latestEventId() {
        return Long.parseLong(call("latest"));
    }

    /** Calls to /pubapi/ with this bearer token in the fake Egnyte's request log (its latest 10,000 requests). */
    long calls(String token) {
        return Long.parseLong(call("calls " + token));
    }

    /** Distinct bearer tokens among the /pubapi/ calls of the request log. */
    long tokensSeen() {
        return Long.parseLong(call("tokens"));
    }

    /** Calls to /pubapi/ in the fake Egnyte's request log (its latest 10,000 requests). */
    long pubapiCalls() {
        return Long.parseLong(call("pubapi"));
    }

    void clearRequests() {
        call("clear-requests");
    }

    /** A new receiver on its own port answering 200 after delayMs (0: at once), checking signatures with the key. */
    int receiver(long delayMs, String signatureKey) {
        return Integer.parseInt(call("receiver " + delayMs + " " + (signatureKey == null ? "-" : signatureKey)));
    }

    /** A new black hole on its own port: accepts connections, never answers. */
    int blackHole() {
        return Integer.parseInt(call("blackhole"));
    }

    long blackHoleConnections(int port) {
        return Long.parseLong(call("accepted " + port));
    }

    void recordTimes(int port, boolean on) {
        call("record " + port + " " + on);
    }

    void reset(int port) {
        call("reset " + port);
    }

    Stats stats(int port) {
        String[] s = call("stats " + port).split(" ");
        return new Stats(Long.parseLong(s[0]), Long.parseLong(s[1]), Long.parseLong(s[2]), Long.parseLong(s[3]),
                Integer.parseInt(s[4]));
    }

    /** Blocks (in the fakes process) until every receiver port has counted its number of POSTs; false on timeout. */
    boolean await(Duration timeout, Map<Integer, Long> countsByPort) {
        StringBuilder c = new StringBuilder("await ").append(timeout.toMillis());
        countsByPort.forEach((port, count) -> c.append(' ').append(port).append(':').append(count));
        return call(c.toString()).equals("met");
    }

    /** webhook-id to arrival time (epoch microseconds) of every POST the receiver recorded. */
    Map<String, Long> times(int port) {
        String[] s = call("times " + port).split(" ");
        Map<String, Long> times = new LinkedHashMap<>();
        for (int i = 1; i < s.length; i++) {
            int eq = s[i].lastIndexOf('=');
            times.merge(s[i].substring(0, eq), Long.parseLong(s[i].substring(eq + 1)), Math::min);
        }
        return times;
    }

    static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private synchronized String call(String command) {
        in.println(command);
        String answer = expect(null);
        if (answer.startsWith("err")) {
            throw new IllegalStateException("fakes process: " + command + " -> " + answer);
        }
        return answer.equals("ok") ? "" : answer.substring(3);
    }

    private String expect(String exactly) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(BenchFakesMain.PREFIX)) {
                    String answer = line.substring(BenchFakesMain.PREFIX.length());
                    if (exactly != null && !exactly.equals(answer)) {
                        throw new IllegalStateException("fakes process said " + answer + ", expected " + exactly);
                    }
                    return answer;
                }
            }
            throw new IllegalStateException("the fakes process ended (exit " + waitExit() + "); see its log under target/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String waitExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                in.println("quit");
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (RuntimeException e) {
            process.destroyForcibly();
        }
    }
}

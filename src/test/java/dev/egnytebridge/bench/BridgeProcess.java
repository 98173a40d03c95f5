package dev.egnytebridge.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.egnytebridge.BridgeTestSupport;
import org.apache.camel.test.AvailablePortFinder;

/**
 * The bridge as an operator runs it: {@code dev.egnytebridge.BridgeMain} in a JVM of its own (this classpath, the
 * shipped application.properties, the settings given as {@code -D} properties), on 127.0.0.1, measured from the
 * outside: its CPU is the process's own, with no test harness in it. The idle and start-up benchmarks start it.
 */
final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private BridgeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it on its own database under {@code dataDir}; {@link #awaitServing} waits for its REST API. */
    static BridgeProcess start(String logName, Path dataDir, Map<String, String> settings, List<String> jvmOptions)
            throws IOException {
        int port = AvailablePortFinder.getNextAvailable();
        Path log = Path.of("target", logName);
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add("-Dcamel.server.port=" + port);
        command.add("-Dcamel.server.host=127.0.0.1");
        // a free management port too: the bridge of the test JVM holds another
        command.add("-Dcamel.management.port=" + AvailablePortFinder.getNextAvailable());
        command.add("-Dcamel.management.host=127.0.0.1");
        command.add("-Dbridge.data-dir=" + dataDir);
        command.add("-Dbridge.datasource.url=jdbc:h2:file:" + dataDir.resolve("bridge"));
        command.add("-Dbridge.security.organization-secret=" + BridgeTestSupport.ORG_SECRET);
        command.add("-Dbridge.security.users=alice=" + BridgeTestSupport.ALICE_SECRET);
        command.add("-Dbridge.security.encryption-key=" + BridgeTestSupport.ENCRYPTION_KEY);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("dev.egnytebridge.BridgeMain");
        Process process = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new BridgeProcess(process, port, log);
    }

    BridgeProcess awaitServing(Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest list = HttpRequest.newBuilder(URI.create(baseUrl() + "/instances"))
                .header("Authorization", BridgeTestSupport.ALICE).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                if (http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("the bridge process did not serve its REST API within " + limit + "; see " + log);
    }

    /** Fails at once should the process have exited (its log names why). */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("the bridge process exited with " + process.exitValue() + "; see " + log);
        }
    }

    Path log() {
        return log;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Its CPU time so far (user and system), or -1 when unknown. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Seconds since it started. */
    double uptimeSeconds() {
        return process.toHandle().info().startInstant()
                .map(s -> Duration.between(s, java.time.Instant.now()).toMillis() / 1e3).orElse(-1.0);
    }

    /** VmRSS from /proc (Linux), or -1. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // not Linux, or the process ended
        }
        return -1;
    }

    /** Stops it as an operator would (SIGTERM), and for good after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

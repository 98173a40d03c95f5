package dev.egnytebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar run as an operator runs it, for the integration tests: a child JVM on 127.0.0.1, its settings given
 * as {@code -D} properties, its output in a log file under target/, killed with SIGKILL when a test says so. The jar is
 * {@code target/egnyte-events-bridge.jar} (failsafe passes it as {@code -Dbridge.it.jar}).
 */
public final class PackagedBridge {

    private static final Logger LOG = LoggerFactory.getLogger(PackagedBridge.class);
    private static final Path PROJECT_DIR = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    private static final Path JAR = Path.of(System.getProperty("bridge.it.jar",
            PROJECT_DIR.resolve("target/egnyte-events-bridge.jar").toString()));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final Process process;
    private final Path log;

    private PackagedBridge(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the jar serving on 127.0.0.1:{@code port} (its management server on another free port) with these settings, its output in {@code target/<logDir>/<name>.log}.
     * Returns at once: {@link #awaitServing} waits for its REST API.
     */
    public static PackagedBridge launch(String logDir, String name, int port, Map<String, String> settings) throws IOException {
        assertThat(JAR).as("the packaged jar (mvn verify packages it before the integration tests)").isRegularFile();
        Path dir = Files.createDirectories(PROJECT_DIR.resolve("target").resolve(logDir));
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dcamel.server.port=" + port, "-Dcamel.server.host=127.0.0.1",
                // its own management server too: bridges side by side on one machine must not compete for 9876
                "-Dcamel.management.port=" + freePort(), "-Dcamel.management.host=127.0.0.1"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Process process = new ProcessBuilder(command)
                .directory(PROJECT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // should the test JVM die before its @AfterAll, the bridge must not outlive it holding the port and database
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        LOG.info("Started the packaged bridge {} (pid {}) on port {}, output in {}", name, process.pid(), port, log);
        return new PackagedBridge(port, process, log);
    }

    /** Waits until the REST API answers GET /instances with 200; fails at once should the process exit meanwhile. */
    public PackagedBridge awaitServing(String authorization) {
        await("bridge pid " + pid() + " answers its REST API").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(process.isAlive()).as("bridge process is alive (see %s)", log).isTrue();
                    return answers(authorization);
                });
        return this;
    }

    /** SIGKILL ({@code destroyForcibly} sends signal 9 on Linux): no shutdown hook, no clean stop. Waits for the end. */
    public void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("bridge pid %d ended", process.pid()).isTrue();
        }
    }

    /** Lines of its log so far that contain this text. */
    public long logLinesContaining(String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit value; 137 (128 + 9) after {@link #kill}. */
    public int exitValue() {
        return process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** A port free right now on this machine. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers(String authorization) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances"))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.egnytebridge.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.egnytebridge.security.CallbackAddressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side of one attempt against receivers that misbehave on the wire: every attempt ends, with an outcome,
 * by its deadline at the latest, so no receiver keeps a slot.
 */
class CallbackSenderTest {

    private static final long TIMEOUT_MS = 2_000;
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final CallbackSender sender = new CallbackSender(new CallbackAddressPolicy(true), TIMEOUT_MS, 2);

    CallbackSenderTest() {
        sender.start();
    }

    @AfterEach
    void stop() throws Exception {
        sender.stop();
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    @Test
    void connectsToTheAddressThePolicyCheckedAndSendsTheHostAsWritten() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        int port = rawServer(socket -> {
            requests.add(readHead(socket));
            write(socket, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
        });
        // a name no DNS knows: only the policy's resolver maps it, so the request can only reach the address it checked
        CallbackAddressPolicy policy = new CallbackAddressPolicy(true, host -> "hooks.example.test".equals(host)
                ? new InetAddress[]{InetAddress.getLoopbackAddress()} : new InetAddress[0]);
        CallbackSender named = new CallbackSender(policy, TIMEOUT_MS, 2);
        named.start();
        try {
            AttemptOutcome outcome = send(named, "http://hooks.example.test:" + port + "/in?x=1");
            assertThat(outcome.httpStatus()).isEqualTo(204);
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0)).startsWith("POST /in?x=1 HTTP/1.1").containsIgnoringCase("host: hooks.example.test:" + port);
        } finally {
            named.stop();
        }
    }

    @Test
    void aHugeAnswerIsCutOffAndTheStatusKept() throws Exception {
        int port = rawServer(socket -> {
            readHead(socket);
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 160; i++) {
                write(socket, chunk);
            }
        });
        AttemptOutcome outcome = send(sender, "http://127.0.0.1:" + port + "/hook");
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(outcome.error()).isNull();
    }

    @Test
    void aNeverEndingChunkedAnswerEndsAtTheDeadline() throws Exception {
        int port = rawServer(socket -> {
            readHead(socket);
            write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            // a byte now and then, forever: an idle timeout alone would never fire
            while (!socket.isClosed()) {
                write(socket, "1\r\nx\r\n");
                pause(100);
            }
        });
        AttemptOutcome outcome = send(sender, "http://127.0.0.1:" + port + "/hook");
        // a 10-byte-a-second trickle stays under the body limit: the deadline ends it
        assertThat(outcome.httpStatus()).isNull();
        assertThat(outcome.error()).containsIgnoringCase("timeout");
    }

    @Test
    void aStalledTlsHandshakeEndsAtTheDeadline() throws Exception {
        int port = rawServer(socket -> {
            // accepts the connection and never says a word of TLS
            while (!socket.isClosed()) {
                pause(100);
            }
        });
        AttemptOutcome outcome = send(sender, "https://127.0.0.1:" + port + "/hook");
        assertThat(outcome.httpStatus()).isNull();
        assertThat(outcome.error()).isNotBlank();
        assertThat(outcome.durationMs()).isLessThan(TIMEOUT_MS + 5_000);
    }

    @Test
    void aRefusedAddressSendsNothing() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        int port = rawServer(socket -> requests.add(readHead(socket)));
        CallbackSender strict = new CallbackSender(new CallbackAddressPolicy(false), TIMEOUT_MS, 2);
        strict.start();
        try {
            AttemptOutcome outcome = send(strict, "http://127.0.0.1:" + port + "/hook?token=receiver-secret");
            assertThat(outcome.error()).contains("loopback address").doesNotContain("receiver-secret");
            assertThat(requests).isEmpty();
        } finally {
            strict.stop();
        }
    }

    private static AttemptOutcome send(CallbackSender sender, String url) throws Exception {
        WebhookRequest.Outgoing request = new WebhookRequest.Outgoing(url, Map.of("Content-Type", "application/json"),
                "{\"message\":{}}".getBytes(StandardCharsets.UTF_8), Instant.now());
        // the stage itself never fails: whatever the receiver does, the attempt has an outcome
        return sender.send(request).toCompletableFuture().get(TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
    }

    /** A TCP server on loopback running {@code conversation} for each connection, on a thread of its own. */
    private int rawServer(Consumer<Socket> conversation) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    servers.add(socket);
                    Thread t = new Thread(() -> conversation.accept(socket));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    /** Reads the request line and headers (and the small body the sender posts). */
    private static String readHead(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            in.readNBytes(in.available());
            return head.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Socket socket, String text) {
        write(socket, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException closedByTheSender) {
            // the sender dropped the connection: what this test wants to see
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

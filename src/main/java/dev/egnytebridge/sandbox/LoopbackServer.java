package dev.egnytebridge.sandbox;

import java.util.concurrent.ExecutorService;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server under the simulator and the sink: bound to 127.0.0.1 when made (so its port is known before it
 * starts), started once, closed once, on a bounded pool of daemon threads.
 */
final class LoopbackServer {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackServer.class);

    private final String name;
    private final HttpServer server;
    private final ExecutorService pool;
    private boolean started;
    private boolean closed;

    LoopbackServer(String name, int port, HttpHandler handler) {
        this.name = name;
        this.server = SandboxHttp.loopbackServer(port);
        this.pool = SandboxHttp.daemonPool(name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), 16);
        server.setExecutor(pool);
        server.createContext("/", handler);
    }

    synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the " + name + " is closed");
        }
        if (!started) {
            server.start();
            started = true;
            LOG.info("{} listening on {}", name, baseUrl());
        }
    }

    /** Stops serving; returns false when it was closed already. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        if (started) {
            server.stop(0);
        }
        pool.shutdownNow();
        return true;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }
}

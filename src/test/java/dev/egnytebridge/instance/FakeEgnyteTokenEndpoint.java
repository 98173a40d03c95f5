package dev.egnytebridge.instance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Egnyte's {@code /puboauth/token} on loopback: grants {@link #ACCESS_TOKEN_PREFIX} + code for every code except
 * {@link #REFUSED_CODE} (400, as Egnyte answers a spent code) and {@link #FAILING_CODE} (503). Records each form posted.
 */
public final class FakeEgnyteTokenEndpoint implements AutoCloseable {

    public static final String ACCESS_TOKEN_PREFIX = "egnyte-access-token-";
    public static final String REFUSED_CODE = "spent-code";
    public static final String FAILING_CODE = "code-while-egnyte-is-down";

    private final HttpServer server;
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();

    public FakeEgnyteTokenEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/puboauth/token", exchange -> {
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean isPost = exchange.getRequestMethod().equals("POST");
            forms.add(form);
            int status;
            String body;
            String code = form.getOrDefault("code", "");
            if (!isPost || !"authorization_code".equals(form.get("grant_type"))) {
                status = 400;
                body = "{\"error\":\"unsupported_grant_type\"}";
            } else if (code.equals(REFUSED_CODE)) {
                status = 400;
                body = "{\"error\":\"invalid_grant\",\"error_description\":\"Authorization code " + code
                        + " is invalid or was already used\"}";
            } else if (code.equals(FAILING_CODE)) {
                status = 503;
                body = "<html><body>Service Unavailable</body></html>";
            } else {
                status = 200;
                body = "{\"access_token\":\"" + ACCESS_TOKEN_PREFIX + code + "\",\"token_type\":\"bearer\",\"expires_in\":-1}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status == 503 ? "text/html" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The forms posted so far, oldest first. */
    public List<Map<String, String>> forms() {
        return forms;
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

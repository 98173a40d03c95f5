package dev.egnytebridge.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.egnytebridge.api.ApiException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * Bean {@code uiAssets}: answers the web UI's files from the classpath folder {@code web/}. Only the page (at {@code /})
 * and the files listed in {@link #FILES} (at {@code /ui/{file}}) are served, each with its content type and headers
 * that keep the page to its own scripts and styles.
 *
 * <p>Why not Camel Main's own static content ({@code camel.server.static-enabled}): in 4.18 it first looks the request
 * path up as a file relative to the working directory, which would serve {@code data/generated-secrets.properties} or
 * {@code application.properties}, and it reads every file as text, which breaks images.
 */
public class UiAssets {

    /** The page, answered at {@code /} only: the documented paths are the whole list (/ui/index.html is a 404). */
    static final String PAGE = "index.html";
    static final String PAGE_TYPE = "text/html; charset=utf-8";

    /** The page's script: ES modules, the entry {@code app.js} and one module per screen or shared part. */
    static final List<String> MODULES = List.of("app.js", "dom.js", "api.js", "view.js", "forms.js",
            "status.js", "signin.js", "list.js", "create.js", "instance.js", "chart.js", "edit.js");

    static final String SCRIPT_TYPE = "text/javascript; charset=utf-8";

    /**
     * The files under {@code /ui/} and their content types: nothing else under web/ (or anywhere) is ever answered.
     * The modules are named one by one (no folder is served); module scripts are fetched same-origin, which
     * {@code script-src 'self'} allows.
     */
    static final Map<String, String> FILES = files();

    private static Map<String, String> files() {
        Map<String, String> files = new HashMap<>();
        MODULES.forEach(module -> files.put(module, SCRIPT_TYPE));
        files.put("app.css", "text/css; charset=utf-8");
        files.put("screenshot.png", "image/png");
        files.put("favicon.svg", "image/svg+xml");
        return Map.copyOf(files);
    }

    /**
     * The page loads only its own script, style and images, and calls only this server: a value injected into the
     * page could not load or send anything elsewhere. No referrer, so the OAuth code in the address never leaks.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final ClassLoader classLoader;
    private final String folder;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public UiAssets(ClassLoader classLoader, String folder) {
        this.classLoader = classLoader;
        this.folder = folder;
    }

    /** Route step {@code serve-ui-page}: {@code GET /}. */
    public void index(Message response) {
        answer(response, PAGE, PAGE_TYPE);
    }

    /** Route step {@code serve-ui-file}: {@code GET /ui/{file}}. Unknown names are a 404, never a file lookup. */
    public void file(@Header("file") String name, Message response) {
        String type = name == null ? null : FILES.get(name);
        if (type == null) {
            throw ApiException.notFound("No such file");
        }
        answer(response, name, type);
    }

    /** Takes the {@link Message}: its job is the HTTP status and headers. */
    private void answer(Message out, String name, String type) {
        byte[] content = cache.computeIfAbsent(name, this::load);
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, type);
        // the page is small; revalidating each time means an upgraded bridge never runs yesterday's script
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Referrer-Policy", "no-referrer");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        out.setBody(content);
    }

    private byte[] load(String name) {
        try (InputStream in = classLoader.getResourceAsStream(folder + name)) {
            if (in == null) {
                throw new IllegalStateException("The web UI file " + folder + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the web UI file " + folder + name, e);
        }
    }
}

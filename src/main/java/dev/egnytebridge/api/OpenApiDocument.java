package dev.egnytebridge.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * Route step {@code answer-openapi-document} ({@code GET /openapi.json}, routes/openapi.yaml): the hand-written OpenAPI
 * 3.1 document of the REST API, {@code openapi/openapi.json} on the classpath, with {@code servers} set to
 * {@code bridge.public-base-url} when it is set, else to the base URL the client called (its {@code Host} header, and
 * {@code X-Forwarded-Proto} behind a TLS proxy).
 *
 * <p>Why hand-written rather than generated from the REST DSL (camel-openapi-java): the bridge's REST routes use no
 * binding ({@code camel.rest.binding-mode = off}) and its bodies are Jackson trees checked by its own validators, so
 * there are no classes the generator could turn into schemas; the request and response schemas, examples, the
 * Authorization scheme and the notification a callback receives ({@code webhooks}) would all have had to be patched
 * into the generated document by a post-processor larger than the document itself. The document is kept honest by
 * OpenApiDocumentTest: a standard validator (swagger-parser) accepts it, and its paths and methods are exactly the
 * context's REST verbs that are not marked {@code apiDocs: false}, so a new route without documentation fails the build.
 */
public class OpenApiDocument {

    private final ObjectMapper mapper;
    private final ObjectNode document;
    private final String publicBaseUrl;

    public OpenApiDocument(ObjectMapper mapper, ClassLoader classLoader, String resource) {
        this(mapper, classLoader, resource, null);
    }

    /** @param publicBaseUrl bridge.public-base-url, the address clients reach the bridge at; null when unset */
    public OpenApiDocument(ObjectMapper mapper, ClassLoader classLoader, String resource, String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.replaceAll("/+$", "");
        this.mapper = mapper;
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The OpenAPI document " + resource + " is missing from the classpath");
            }
            this.document = (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OpenAPI document " + resource, e);
        }
    }

    /** Takes the {@link Message}: its job is the HTTP status and headers as well as the body. */
    public void serve(@Header("Host") String host, @Header("X-Forwarded-Proto") String forwardedProto, Message out)
            throws IOException {
        ObjectNode answer = document.deepCopy();
        // the configured public address when there is one (behind a proxy the Host header may be an internal name)
        answer.putArray("servers").addObject().put("url", publicBaseUrl != null ? publicBaseUrl : baseUrl(host, forwardedProto));
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(mapper.writeValueAsBytes(answer));
    }

    /** The URL the client called the bridge at; without a usable Host header, "/" (relative to the document's URL). */
    static String baseUrl(String host, String forwardedProto) {
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
            return "/";
        }
        String scheme = forwardedProto != null && forwardedProto.trim().equalsIgnoreCase("https") ? "https" : "http";
        return scheme + "://" + host.trim();
    }
}

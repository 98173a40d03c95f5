package dev.egnytebridge.egnyte;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Egnyte answered to an {@link EgnyteRequest} (the body route {@code call-egnyte} ends with): status, body, and
 * the headers Egnyte's faults are read from. The caller decides what a status means for it (the events feed reads a
 * 404 as an aged-out cursor, the token exchange a 400 as a refused code); {@link #json()} throws the
 * {@link EgnyteFault} any other failure stands for.
 */
public record EgnyteAnswer(int status, String body, Map<String, String> headers) {

    public EgnyteAnswer {
        body = body == null ? "" : body;
        headers = headers == null ? Map.of() : headers;
    }

    /** True for the events endpoint's 204; throws the fault of a failed call. */
    public boolean noContent() {
        return EgnyteResponses.check(status, headers, body) == EgnyteResponses.Outcome.NO_CONTENT;
    }

    /** The body as JSON, or the {@link EgnyteFault} the status or a malformed body stands for. */
    public JsonNode json() {
        EgnyteResponses.check(status, headers, body);
        return EgnyteResponses.parseJson(body);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /** Egnyte's 403 for calling too often this second (ERR_403_DEVELOPER_OVER_QPS). */
    public boolean overQps() {
        return status == 403 && EgnyteResponses.OVER_QPS_CODE.equalsIgnoreCase(header(EgnyteResponses.MASHERY_ERROR_HEADER));
    }

    /** A header of the answer by name, ignoring case, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}

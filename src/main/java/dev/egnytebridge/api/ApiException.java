package dev.egnytebridge.api;

/**
 * A request the API refuses, with the HTTP status to answer and, where one field is at fault, its name. The message is
 * shown to the caller, so it must never carry a secret.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(400, field, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, null, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}

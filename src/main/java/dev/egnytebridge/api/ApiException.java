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

    /** A value the caller sent, for a message: at most its first 30 characters, so an answer cannot echo a flood. */
    public static String echo(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 30 ? value.substring(0, 30) + "..." : value;
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

package dev.egnytebridge.api;

/** Reads the query parameters of the REST API, answering a bad one as a 400 that names it. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code value} as a whole number from {@code min} to {@code max}; {@code defaultValue} when absent or blank. */
    public static int wholeNumber(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badField(name, "must be a whole number from " + min + " to " + max);
    }
}

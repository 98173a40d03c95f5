package dev.egnytebridge.instance;

import java.util.ArrayList;
import java.util.List;

import dev.egnytebridge.egnyte.EgnyteOAuthGrant;

/**
 * What a {@code POST /instances}, a {@code PATCH} or {@code PUT /instances/{id}} or a {@code PATCH} of a configuration
 * entry carries from step to step, in exchange property
 * {@value #PROPERTY} (routes/instances-api.yaml): made by the step that checks the request, completed by the step that
 * stores it. {@link #toString()} shows no secret.
 */
public final class InstanceCall {

    /** The exchange property the create and update flows keep it in. */
    public static final String PROPERTY = "instanceCall";

    private final String user;
    private final NewInstance newInstance;
    private final Instance change;
    private final EgnyteOAuthGrant grant;
    private final List<String> callbackUrlsToEnable;
    private List<String> warnings = List.of();
    private String generatedSignatureKey;
    private Instance stored;
    private String token;

    private InstanceCall(String user, NewInstance newInstance, Instance change, EgnyteOAuthGrant grant,
                         List<String> callbackUrlsToEnable) {
        this.user = user;
        this.newInstance = newInstance;
        this.change = change;
        this.grant = grant;
        this.callbackUrlsToEnable = List.copyOf(callbackUrlsToEnable);
    }

    /** A checked POST: the instance to store once Egnyte has granted an access token for {@code grant}. */
    static InstanceCall create(String user, NewInstance newInstance, EgnyteOAuthGrant grant) {
        return new InstanceCall(user, newInstance, null, grant, List.of());
    }

    /**
     * A checked PATCH (or PUT, or PATCH of a configuration entry): the instance as it will be stored; {@code grant} when the patch carried a new authorization code
     * (null otherwise); the callback URLs the patch set, which are enabled again if they were disabled.
     */
    static InstanceCall change(String user, Instance change, EgnyteOAuthGrant grant, List<String> callbackUrlsToEnable) {
        return new InstanceCall(user, null, change, grant, callbackUrlsToEnable);
    }

    /** The authenticated caller. */
    public String user() {
        return user;
    }

    /** POST: the checked request; null for a PATCH. */
    public NewInstance newInstance() {
        return newInstance;
    }

    /** PATCH: the instance as it will be stored; null for a POST. */
    public Instance change() {
        return change;
    }

    /** The authorization code to exchange for an access token; null when a PATCH keeps the current token. */
    public EgnyteOAuthGrant grant() {
        return grant;
    }

    public boolean reauthorize() {
        return grant != null;
    }

    /** PATCH: the callback URLs it set (empty when it did not set them). */
    public List<String> callbackUrlsToEnable() {
        return callbackUrlsToEnable;
    }

    /** What the answer warns about (a request that works but may not do what was meant). */
    public List<String> warnings() {
        return warnings;
    }

    /** The signature key the bridge generated for this request ("generate"), shown once in the answer; or null. */
    public String generatedSignatureKey() {
        return generatedSignatureKey;
    }

    /** One more warning for the answer, from a later step (the daily call budget's). */
    public void warn(String warning) {
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        warnings = List.copyOf(more);
    }

    void advise(List<String> warnings, String generatedSignatureKey) {
        this.warnings = List.copyOf(warnings);
        this.generatedSignatureKey = generatedSignatureKey;
    }

    /** The instance as stored, once the store step ran; null before. */
    public Instance instance() {
        return stored;
    }

    /** POST: the new instance's token, shown once in the answer; null otherwise. */
    public String token() {
        return token;
    }

    void stored(Instance instance, String newToken) {
        this.stored = instance;
        this.token = newToken;
    }

    @Override
    public String toString() {
        return "InstanceCall[user=" + user + ", " + (newInstance != null ? newInstance : change)
                + (grant != null ? ", reauthorize" : "") + "]";
    }
}

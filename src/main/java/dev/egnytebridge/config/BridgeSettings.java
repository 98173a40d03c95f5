package dev.egnytebridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The bridge's own configuration ({@code bridge.*} and {@code egnyte.*}), read through Camel's properties component so
 * -D and environment overrides apply. Every key has its default in application.properties, and only there: a key
 * missing here is a configuration error, and a value out of range fails at start with the key's name rather than
 * being quietly changed.
 */
public final class BridgeSettings {

    private final PropertiesComponent properties;

    private BridgeSettings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static BridgeSettings of(CamelContext context) {
        return new BridgeSettings(context.getPropertiesComponent());
    }

    /** A property that may be left empty (the secrets, generated when empty). */
    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A property application.properties always sets: missing or empty is a configuration error. */
    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException("Property " + key + " is not set"));
    }

    /** A required whole number of at least {@code min}. */
    public int requiredInt(String key, int min) {
        return (int) requiredLong(key, min, Integer.MAX_VALUE);
    }

    /** A required whole number between {@code min} and {@code max}. */
    public int requiredInt(String key, int min, int max) {
        return (int) requiredLong(key, min, max);
    }

    /** A required whole number of at least {@code min}. */
    public long requiredLong(String key, long min) {
        return requiredLong(key, min, Long.MAX_VALUE);
    }

    private long requiredLong(String key, long min, long max) {
        long value = parse(key, required(key), Long::parseLong, "a whole number");
        if (value < min || value > max) {
            throw new IllegalArgumentException("Property " + key + " must be "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max)
                    + ", was " + value);
        }
        return value;
    }

    /** A required decimal number. */
    public double requiredDouble(String key) {
        return parse(key, required(key), Double::parseDouble, "a number");
    }

    /** A required Camel duration (5d, 12h, 30m, 45s, or milliseconds). */
    public Duration requiredDuration(String key) {
        String value = required(key);
        try {
            return TimeUtils.toDuration(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Property " + key + " must be a duration like 5d, 12h or 30m, was '" + value + "'");
        }
    }

    /** A required true or false. */
    public boolean flag(String key) {
        String value = required(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Property " + key + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static <T> T parse(String key, String value, Function<String, T> parser, String what) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property " + key + " must be " + what + ", was '" + value + "'");
        }
    }

    // --- storage

    public Path dataDir() {
        return Path.of(required("bridge.data-dir"));
    }

    public String datasourceUrl() {
        return required("bridge.datasource.url");
    }

    public String datasourceUsername() {
        return required("bridge.datasource.username");
    }

    /** May be empty (the embedded H2 database has none). */
    public String datasourcePassword() {
        return properties.resolveProperty("bridge.datasource.password")
                .orElseThrow(() -> new IllegalArgumentException("Property bridge.datasource.password is not set"));
    }

    public int datasourceMaxPoolSize() {
        return requiredInt("bridge.datasource.max-pool-size", 1);
    }

    // --- egnyte

    /** Base URL of one instance's Egnyte domain, with {@code {subdomain}} filled in. */
    public String egnyteBaseUrl(String subdomain) {
        return required("egnyte.base-url").replace("{subdomain}", subdomain);
    }

    public String egnyteScope() {
        return required("egnyte.oauth.scope");
    }

    /** Calls a second allowed per Egnyte access token. */
    public double egnyteRateLimitQps() {
        return requiredDouble("egnyte.rate-limit.qps");
    }

    /** Calls a day allowed per Egnyte access token, over a rolling 24 hours; 0 for no budget. */
    public int egnyteCallsPerDay() {
        return requiredInt("egnyte.rate-limit.calls-per-day", 0);
    }

    public int egnyteTimeoutMs() {
        return requiredInt("egnyte.http.timeout-ms", 1);
    }

    // --- poller

    public int pollerMinIntervalSeconds() {
        return requiredInt("bridge.poller.min-interval-seconds", 1);
    }

    /** Egnyte returns at most 100 events a page. */
    public int pollerPageSize() {
        return requiredInt("bridge.poller.page-size", 1, 100);
    }

    /** Pages read from one resource in one poll at most, so a huge backlog is drained over several polls. */
    public int pollerMaxPages() {
        return requiredInt("bridge.poller.max-pages-per-poll", 1);
    }

    /** Polls one node runs at the same time (its poller threads). */
    public int pollerThreads() {
        return requiredInt("bridge.poller.threads", 1);
    }

    /**
     * How often the poll scheduler looks for due polls when nothing woke it, in milliseconds: it wakes at the next
     * poll it knows of and when this node changes the schedule, so this look only finds what other cluster nodes
     * changed (and leases of dead nodes that ran out).
     */
    public long pollerIdleCheckMs() {
        return clusterEnabled() ? requiredLong("bridge.poller.idle-check-ms", 10) : standaloneIdleCheckMs();
    }

    /**
     * How long a node's claim on a poll holds without renewal, in seconds: a node that dies mid-poll leaves its
     * instances to the others after this long. Renewed every third of it while the poll runs.
     */
    public long pollerLeaseSeconds() {
        return requiredLong("bridge.poller.lease-seconds", 3);
    }

    /** Failed polls in a row after which an instance's poller is disabled (Cloud Elements' threshold). */
    public int pollerMaxConsecutiveFailures() {
        return requiredInt("bridge.poller.max-consecutive-failures", 1);
    }

    // --- delivery

    /** Delays between delivery attempts, e.g. {@code 5s,30s,2m}: one retry per entry after the first attempt. */
    public String deliveryRetrySchedule() {
        return required("bridge.delivery.retry-schedule");
    }

    /** Random spread of each retry delay, as a fraction (0.2 = plus or minus 20%). */
    public double deliveryRetryJitter() {
        return requiredDouble("bridge.delivery.retry-jitter");
    }

    /** Most deliveries leased from the outbox in one look. */
    public int deliveryBatchSize() {
        return requiredInt("bridge.delivery.batch-size", 1);
    }

    /** Most callback requests in flight at once on this node. */
    public int deliveryMaxInFlight() {
        return requiredInt("bridge.delivery.max-in-flight", 1);
    }

    /** Most callback requests in flight at once to one endpoint (origin) on this node. */
    public int deliveryMaxInFlightPerEndpoint() {
        return requiredInt("bridge.delivery.max-in-flight-per-endpoint", 1);
    }

    /**
     * How often the push upkeep looks for registrations to look after when nothing woke it, in milliseconds: changes
     * made on this node wake it, so this look only finds those of other cluster nodes (and leases that ran out).
     */
    public long pushIdleCheckMs() {
        return clusterEnabled() ? requiredLong("bridge.push.idle-check-ms", 100) : standaloneIdleCheckMs();
    }

    /** How often the dispatcher looks at the outbox when nothing woke it. */
    public Duration deliveryIdleCheck() {
        return Duration.ofMillis(clusterEnabled() ? requiredInt("bridge.delivery.idle-check-ms", 1)
                : standaloneIdleCheckMs());
    }

    /**
     * The schedulers' look when nothing woke them, on a node alone on its database: no other process stores work
     * there, so every change wakes them in-process and this look is only a safety net.
     */
    public long standaloneIdleCheckMs() {
        return requiredInt("bridge.standalone.idle-check-ms", 10);
    }

    /** Deadline of one whole delivery attempt, in milliseconds. */
    public int deliveryTimeoutMs() {
        return requiredInt("bridge.delivery.timeout-ms", 1);
    }

    /**
     * How long a claimed delivery is leased, in seconds. Left empty (application.properties' default) it is derived
     * from the attempt timeout: twice {@code bridge.delivery.timeout-ms} plus a minute, so a longer timeout never
     * needs a second edit.
     */
    public long deliveryLeaseSeconds() {
        return optional("bridge.delivery.lease-seconds").isPresent()
                ? requiredLong("bridge.delivery.lease-seconds", 1)
                : 2L * deliveryTimeoutMs() / 1000 + 60;
    }

    /** Days notifications, their delivery history and idempotency keys are kept once finished. */
    public int retentionDays() {
        return requiredInt("bridge.retention-days", 1);
    }

    // --- callbacks

    /** Whether callback URLs may point at loopback, private, link-local or metadata addresses (off: SSRF guard). */
    public boolean callbacksAllowPrivateAddresses() {
        return flag("bridge.callbacks.allow-private-addresses");
    }

    // --- sandbox

    /** Runs the built-in Egnyte simulator and callback sink with a demo instance (never in production). */
    public boolean sandboxEnabled() {
        return flag("bridge.sandbox.enabled");
    }

    /** Loopback port of the sandbox's Egnyte simulator; 0 takes any free port. */
    public int sandboxEgnytePort() {
        return requiredInt("bridge.sandbox.egnyte-port", 0, 65535);
    }

    /** Loopback port of the sandbox's callback sink; 0 takes any free port. */
    public int sandboxSinkPort() {
        return requiredInt("bridge.sandbox.sink-port", 0, 65535);
    }

    /** Seconds between the file events the sandbox's Egnyte simulator makes up. */
    public int sandboxEventIntervalSeconds() {
        return requiredInt("bridge.sandbox.event-interval-seconds", 1);
    }

    // --- cluster (several nodes on one PostgreSQL database)

    /** Cluster mode: several nodes share one PostgreSQL database, its poll schedule and its delivery outbox. */
    public boolean clusterEnabled() {
        return flag("bridge.cluster.enabled");
    }
}

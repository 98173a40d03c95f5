package dev.egnytebridge;

import java.nio.file.Path;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bridge's own configuration ({@code bridge.*} and {@code egnyte.*} in application.properties), read once through
 * Camel's properties component so -D and environment overrides apply. Defaults here match application.properties, so
 * an embedding host without that file still runs.
 */
public final class BridgeSettings {

    private final PropertiesComponent properties;

    private BridgeSettings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static BridgeSettings of(CamelContext context) {
        return new BridgeSettings(context.getPropertiesComponent());
    }

    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return optional(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    public long number(String key, long defaultValue) {
        return optional(key).map(v -> parse(key, v, Long::parseLong)).orElse(defaultValue);
    }

    /** A property application.properties always sets (its one home): a missing one is a configuration error. */
    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException("Property " + key + " is not set"));
    }

    /** A required whole number of at least {@code min}. */
    public int requiredInt(String key, int min) {
        int value = parse(key, required(key), Integer::parseInt);
        if (value < min) {
            throw new IllegalArgumentException("Property " + key + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** A required Camel duration (5d, 12h, 30m, 45s, or milliseconds). */
    public java.time.Duration requiredDuration(String key) {
        String value = required(key);
        try {
            return org.apache.camel.util.TimeUtils.toDuration(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Property " + key + " must be a duration like 5d, 12h or 30m, was '" + value + "'");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        return optional(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property " + key + " must be a whole number, was '" + value + "'");
        }
    }

    // --- storage

    public Path dataDir() {
        return Path.of(string("bridge.data-dir", "./data"));
    }

    public String datasourceUrl() {
        return string("bridge.datasource.url", "jdbc:h2:file:" + dataDir().resolve("bridge"));
    }

    public String datasourceUsername() {
        return string("bridge.datasource.username", "sa");
    }

    public String datasourcePassword() {
        return string("bridge.datasource.password", "");
    }

    public int datasourceMaxPoolSize() {
        return integer("bridge.datasource.max-pool-size", 10);
    }

    // --- egnyte

    /** Base URL of one instance's Egnyte domain, with {@code {subdomain}} filled in. */
    public String egnyteBaseUrl(String subdomain) {
        return string("egnyte.base-url", "https://{subdomain}.egnyte.com").replace("{subdomain}", subdomain);
    }

    public String egnyteScope() {
        return string("egnyte.oauth.scope", "Egnyte.filesystem");
    }

    /** Calls a second allowed per Egnyte access token (Egnyte's default limit is 2). */
    public double egnyteRateLimitQps() {
        String value = string("egnyte.rate-limit.qps", "2");
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property egnyte.rate-limit.qps must be a number, was '" + value + "'");
        }
    }

    public int egnyteTimeoutMs() {
        return integer("egnyte.http.timeout-ms", 30_000);
    }

    // --- poller

    public int pollerMinIntervalSeconds() {
        return integer("bridge.poller.min-interval-seconds", 60);
    }

    public int pollerPageSize() {
        return Math.max(1, Math.min(100, integer("bridge.poller.page-size", 100)));
    }

    /** Pages read from one resource in one poll at most, so a huge backlog is drained over several polls. */
    public int pollerMaxPages() {
        return Math.max(1, integer("bridge.poller.max-pages-per-poll", 1000));
    }

    /** Polls one node runs at the same time (its poller threads). */
    public int pollerThreads() {
        return Math.max(1, integer("bridge.poller.threads", 10));
    }

    /**
     * How often the poll scheduler looks for due polls when nothing woke it, in milliseconds: it wakes at the next
     * poll it knows of and when this node changes the schedule, so this look only finds what other cluster nodes
     * changed (and leases of dead nodes that ran out).
     */
    public long pollerIdleCheckMs() {
        return clusterEnabled() ? Math.max(10L, number("bridge.poller.idle-check-ms", 1000L)) : standaloneIdleCheckMs();
    }

    /**
     * How long a node's claim on a poll holds without renewal, in seconds: a node that dies mid-poll leaves its
     * instances to the others after this long. Renewed every third of it while the poll runs.
     */
    public long pollerLeaseSeconds() {
        return Math.max(3L, number("bridge.poller.lease-seconds", 60L));
    }

    /** Failed polls in a row after which an instance's poller is disabled (Cloud Elements' threshold). */
    public int pollerMaxConsecutiveFailures() {
        return Math.max(1, integer("bridge.poller.max-consecutive-failures", 100));
    }

    // --- delivery

    /** Delays between delivery attempts, e.g. {@code 5s,30s,2m}: one retry per entry after the first attempt. */
    public String deliveryRetrySchedule() {
        return string("bridge.delivery.retry-schedule", "5s,30s,2m,10m,30m,2h,6h,12h,24h");
    }

    /** Random spread of each retry delay, as a fraction (0.2 = plus or minus 20%). */
    public double deliveryRetryJitter() {
        String value = string("bridge.delivery.retry-jitter", "0.2");
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property bridge.delivery.retry-jitter must be a number, was '" + value + "'");
        }
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

    /** How often the dispatcher looks at the outbox when nothing woke it. */
    public java.time.Duration deliveryIdleCheck() {
        return java.time.Duration.ofMillis(clusterEnabled() ? requiredInt("bridge.delivery.idle-check-ms", 1)
                : standaloneIdleCheckMs());
    }

    /**
     * The schedulers' look when nothing woke them, on a node alone on its database: no other process stores work
     * there, so every change wakes them in-process and this look is only a safety net.
     */
    public long standaloneIdleCheckMs() {
        return requiredInt("bridge.standalone.idle-check-ms", 10);
    }

    /** Connect and response timeout of one delivery attempt, in milliseconds. */
    public int deliveryTimeoutMs() {
        return Math.max(1, integer("bridge.delivery.timeout-ms", 15_000));
    }

    /** Days notifications, their delivery history and idempotency keys are kept once finished. */
    public int retentionDays() {
        return Math.max(1, integer("bridge.retention-days", 30));
    }

    // --- callbacks

    /** Whether callback URLs may point at loopback, private, link-local or metadata addresses (off: SSRF guard). */
    public boolean callbacksAllowPrivateAddresses() {
        return flag("bridge.callbacks.allow-private-addresses", false);
    }

    // --- sandbox

    /** Runs the built-in Egnyte simulator and callback sink with a demo instance (never in production). */
    public boolean sandboxEnabled() {
        return flag("bridge.sandbox.enabled", false);
    }

    /** Loopback port of the sandbox's Egnyte simulator; 0 takes any free port. */
    public int sandboxEgnytePort() {
        return integer("bridge.sandbox.egnyte-port", 0);
    }

    /** Loopback port of the sandbox's callback sink; 0 takes any free port. */
    public int sandboxSinkPort() {
        return integer("bridge.sandbox.sink-port", 0);
    }

    /** Seconds between the file events the sandbox's Egnyte simulator makes up. */
    public int sandboxEventIntervalSeconds() {
        return Math.max(1, integer("bridge.sandbox.event-interval-seconds", 10));
    }

    /**
     * How long a claimed delivery is leased, in seconds: after a crash, deliveries the dead process had claimed are
     * attempted again once their lease runs out. Default: twice the attempt timeout plus a minute.
     */
    public long deliveryLeaseSeconds() {
        return number("bridge.delivery.lease-seconds", 2L * deliveryTimeoutMs() / 1000 + 60);
    }

    // --- cluster (several nodes on one PostgreSQL database)

    /** Cluster mode: several nodes share one PostgreSQL database, its poll schedule and its delivery outbox. */
    public boolean clusterEnabled() {
        return flag("bridge.cluster.enabled", false);
    }
}

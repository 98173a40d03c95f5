package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.PollingConfiguration;
import dev.egnytebridge.instance.PollerState;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.poller.PollCursors;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.push.PushRegistrations;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the sandbox's demo instance: the seed's events configuration in webhooks mode (the simulator's webhook
 * pushes each event to the bridge, which polls at once; the 1-minute poll is the backstop), delivering signed
 * notifications to the callback sink. There is only ever one: a restart re-points the existing one at
 * the new simulator and sink instead of creating another.
 */
public class SandboxDemo {

    public static final String DEMO_NAME = "Sandbox demo";
    public static final String CALLBACK_PATH = "/sandbox-demo";
    /** Owner when no user is configured or generated. */
    public static final String FALLBACK_OWNER = "sandbox";
    /** The backstop poll: the simulator's pushes bring each event within about a second. */
    static final String REFRESH_INTERVAL_MINUTES = "1";
    static final String EVENTS_RESOURCE = "events";
    // where the security bootstrap (when present) stores the users it generated; read by name to avoid depending on it
    private static final String GENERATED_SECRETS_FILE = "generated-secrets.properties";
    private static final String USERS_PROPERTY = "bridge.security.users";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxDemo.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CamelContext context;
    private final BridgeSettings settings;
    private final EgnyteSimulator egnyte;
    private final CallbackSink sink;
    private final ObjectMapper json = new ObjectMapper();
    private Instance adopted;

    public SandboxDemo(CamelContext context, BridgeSettings settings, EgnyteSimulator egnyte, CallbackSink sink) {
        this.context = context;
        this.settings = settings;
        this.egnyte = egnyte;
        this.sink = sink;
    }

    /**
     * Called as the sandbox servers start, before any poller runs: re-points a demo instance a previous run created at
     * this run's simulator and sink, so the pollers restored at start find its token accepted. Never fails the start:
     * {@link #createDemoInstance()} tries again.
     */
    public synchronized void adoptExisting() {
        try {
            findDemo(owner()).ifPresent(previous -> {
                try {
                    adopted = repoint(previous);
                    trust(adopted);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not re-point the sandbox demo instance at start ({}); trying again once the bridge has started",
                    e.getMessage());
        }
    }

    /** Creates the demo instance (or re-points the one a previous run created) and schedules its poller. */
    public synchronized Instance createDemoInstance() throws Exception {
        String owner = owner();
        Optional<Instance> existing = findDemo(owner);
        Instance demo;
        if (existing.isEmpty()) {
            demo = create(owner);
        } else if (adopted != null && adopted.id() == existing.get().id()) {
            demo = existing.get();
        } else {
            demo = repoint(existing.get());
        }
        trust(demo);
        scheduler().refresh(demo);
        // registered (again: this run's simulator knows no webhook of a previous run) with the simulator
        bean("pushRegistrations", PushRegistrations.class).refresh(demo);
        logWhereToLook(demo, existing.isPresent());
        return demo;
    }

    private Optional<Instance> findDemo(String owner) {
        return instances().findByOwner(owner).stream().filter(i -> DEMO_NAME.equals(i.name())).findFirst();
    }

    /** This run's simulator accepts the demo's token; the sink checks signatures with the demo's key. */
    private void trust(Instance demo) {
        egnyte.registerToken(demo.secrets().accessToken());
        sink.expectSignatureKey(demo.secrets().signatureKey());
    }

    private Instance create(String owner) {
        InstanceSecrets secrets = new InstanceSecrets(randomToken(32), randomToken(32),
                "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32)));
        return instances().insert(owner, DEMO_NAME, "egnyte", "sandbox", configuration(), secrets, List.of("Sandbox"), true,
                sha256Hex(randomToken(32)));
    }

    /**
     * The simulator and sink of a previous run are gone: the new simulator counts event ids from 1 again and the sink
     * may listen on another port. So the demo starts over from Egnyte's latest event, forgets the ids it delivered, and
     * delivers to this run's sink; its id, token and signature key stay.
     */
    private Instance repoint(Instance previous) throws Exception {
        scheduler().remove(previous.id());
        PollerState old = previous.pollerState();
        Instance demo = new Instance(previous.id(), previous.owner(), previous.name(), previous.elementKey(),
                previous.subdomain(), configuration(), previous.secrets(), previous.tags(), true, true, false,
                previous.createdDate(), Instant.now(),
                new PollerState(false, 0, old.lastPollAt(), old.lastPollStatus(), old.lastPollError(), null, null));
        // a poll already running hands off under the instance's row lock: taking it first orders the two writes of
        // the cursor (both would otherwise find no row and insert one)
        new TransactionTemplate(bean("transactionManager", PlatformTransactionManager.class)).executeWithoutResult(tx -> {
            instances().lock(previous.id());
            cursors().save(previous.id(), EVENTS_RESOURCE, new PollCursors.Position(null, null));
            instances().update(demo);
        });
        return instances().find(demo.id()).orElseThrow();
    }

    /** The seed's events configuration with Egnyte's webhooks as the doorbell, delivering to the sink. */
    ObjectNode configuration() {
        ObjectNode configuration = json.createObjectNode();
        configuration.put("oauth.callback.url", sink.url("/oauth"));
        configuration.put("oauth.api.key", "sandbox-client");
        configuration.put("subdomain", "sandbox");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", sink.url(CALLBACK_PATH));
        configuration.put("event.poller.refresh_interval", REFRESH_INTERVAL_MINUTES);
        configuration.put(PollingConfiguration.VENDOR_TYPE, PollingConfiguration.WEBHOOKS);
        configuration.putObject("event.poller.configuration").set(EVENTS_RESOURCE, ResourceConfig.seedEventsResource());
        return configuration;
    }

    /**
     * The first configured user, or the first user the security bootstrap generated into the data folder (when the
     * property is left empty), or {@value #FALLBACK_OWNER}.
     */
    String owner() {
        Optional<String> configured = settings.optional(USERS_PROPERTY).flatMap(SandboxDemo::firstUserName);
        if (configured.isPresent()) {
            return configured.get();
        }
        Path generated = settings.dataDir().resolve(GENERATED_SECRETS_FILE);
        if (Files.isReadable(generated)) {
            Properties stored = new Properties();
            try (Reader reader = Files.newBufferedReader(generated)) {
                stored.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the users generated in " + generated, e);
            }
            Optional<String> user = firstUserName(stored.getProperty(USERS_PROPERTY));
            if (user.isPresent()) {
                return user.get();
            }
        }
        return FALLBACK_OWNER;
    }

    /** The name of the first {@code name=secret} pair. */
    static Optional<String> firstUserName(String users) {
        if (users == null) {
            return Optional.empty();
        }
        for (String pair : users.split(",")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (!name.isEmpty()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private void logWhereToLook(Instance demo, boolean reused) {
        String n = System.lineSeparator();
        LOG.info("{}"
                        + "==================== SANDBOX MODE (no Egnyte account needed) ====================" + n
                        + "  Egnyte simulator : {} (a new file event every {} s)" + n
                        + "  Callback sink    : {} (checks every signature)" + n
                        + "  Demo instance    : id {} \"{}\" of user {}, {}, pushed by the simulator's webhook"
                        + " (backstop poll every {} s)" + n
                        + "  Signed notifications appear in this log within seconds, as lines like:" + n
                        + "    Callback sink {} received eventId=... events=1 signature=VALID -> 200" + n
                        + "=================================================================================",
                n, egnyte.baseUrl(), settings.sandboxEventIntervalSeconds(), sink.url(CALLBACK_PATH), demo.id(),
                demo.name(), demo.owner(), reused ? "kept from a previous run" : "created now",
                pollIntervalSeconds(demo), CALLBACK_PATH);
    }

    private long pollIntervalSeconds(Instance demo) {
        Long scheduled = scheduler().scheduledIntervalMs(demo.id());
        return scheduled == null ? demo.polling().refreshInterval().toSeconds() : scheduled / 1000;
    }

    private InstanceStore instances() {
        return bean("instanceStore", InstanceStore.class);
    }

    private PollerScheduler scheduler() {
        return bean("pollerScheduler", PollerScheduler.class);
    }

    private PollCursors cursors() {
        return bean("pollCursors", PollCursors.class);
    }

    // looked up when used: SandboxConfiguration binds this bean before the store and the poller are made
    private <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("The sandbox demo needs the bean " + name + ", which is not bound");
        }
        return bean;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomToken(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    /** How instance tokens are stored: lower-case hex SHA-256 (the demo's token itself is never shown). */
    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Egnyte domain on loopback: OAuth code exchange, the events cursor and events pages, bearer-token checks,
 * Mashery-style rate limits and a folder listing, plus controls to inject faults. The bridge's tests use it, and the
 * product's sandbox mode runs it so the whole pipeline works with no Egnyte account. Thread-safe.
 *
 * <p>It serves {@code /puboauth/token} (GET: the authorize step, redirecting at once with a code; POST: the code
 * exchange), {@code GET /pubapi/v1/events/cursor}, {@code GET /pubapi/v1/events} and
 * {@code GET /pubapi/v1/fs/...} (folder listings); the sandbox mode is described in the README ("Try it without an
 * Egnyte account"). Semantics worth knowing:
 * <ul>
 *   <li>Event ids start at 1 and have no gaps. {@code GET /pubapi/v1/events?id=N} returns events with id &gt; N.
 *   It answers 404 only when events newer than N have aged out (N is below the highest expired id), so a cursor
 *   equal to the last expired id still reads everything retained.</li>
 *   <li>{@code latest_id} of a page is the highest event id the page covered (use it as the next cursor; with
 *   filters it may be above the last returned event), {@code oldest_id} the first returned event's id.</li>
 *   <li>Filters: {@code folder} keeps events whose target_path is the folder or below it; {@code type} keeps one
 *   event type; {@code suppress=app} drops events whose action_source is PublicAPI, {@code suppress=user} drops events
 *   whose actor is the token's user ({@link #TOKEN_USER}). A page with no matching event is a 204.</li>
 *   <li>Authorization codes are single-use. Faults injected with the *Next methods apply to /pubapi calls in the order
 *   they were queued, before the bearer token is checked.</li>
 * </ul>
 *
 * <p>It also serves Egnyte's native webhooks API ({@link SimulatedWebhooks}; bearer token, faults, QPS and daily
 * quota as for every /pubapi call): {@code GET|POST /pubapi/v1/webhooks} (list, register), {@code PUT|DELETE
 * /pubapi/v1/webhooks/{id}} (replace and renew, delete), {@code GET|POST /pubapi/v1/webhooks/{id}/status} and
 * {@code GET /pubapi/v1/webhooks/{id}/details}. Semantics:
 * <ul>
 *   <li>Only tokens with scope {@code Egnyte.webhooks} (403 otherwise; a code authorized with a {@code scope}
 *   parameter passes exactly those scopes on, other tokens have all scopes unless {@link #withoutWebhooksScope}) of
 *   a domain admin (403 after {@link #notAdmin}). The url must be https, or http to a loopback host (400); at most
 *   100 folders in {@code path} (400) and {@link #webhookLimit} live registrations in the domain (409).</li>
 *   <li>A registration expires {@link #webhookTtl} after it was made or renewed by a PUT (simulator clock); then it
 *   is gone: 404, not listed, nothing pushed.</li>
 *   <li>Every added event (addEvent, addEvents, the generator) is pushed, asynchronously, to each enabled, unexpired
 *   registration whose eventType (omitted: all; {@code fs:*}: every fs: type; else exact) and folders (target_path
 *   equal or below) match: a POST of a JSON array of Egnyte webhook events, with the registered auth header (see
 *   {@link SimulatedWebhook#pushHeader()}). Events within {@link #pushBatchWindow} or queued while a push is in
 *   flight share one array, in event id order. Any answer but 200, or none within 5 s, is retried after each
 *   {@link #pushRetryDelays} delay; {@link #pushFailuresToDisable} exhausted pushes in a row disable the
 *   registration until {@code POST .../status {"status":"enabled"}}. Attempts are recorded ({@link #pushes()}).</li>
 * </ul>
 */
public final class EgnyteSimulator implements AutoCloseable {

    /** The user every access token of the simulator belongs to (what {@code suppress=user} hides). */
    public static final int TOKEN_USER = 7;
    /** Like Egnyte, the simulator keeps only the latest 500,000 events. */
    public static final int MAX_RETAINED_EVENTS = 500_000;
    public static final String OVER_QPS = "ERR_403_DEVELOPER_OVER_QPS";
    public static final String OVER_RATE = "ERR_403_DEVELOPER_OVER_RATE";
    /** The domain name webhook pushes carry ({@code "domain"}). */
    public static final String SIMULATED_DOMAIN = "sandbox";

    private static final Logger LOG = LoggerFactory.getLogger(EgnyteSimulator.class);
    private static final int REQUEST_LOG_LIMIT = 10_000;
    private static final int MAX_PAGE = 100;
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final LoopbackServer http;
    private final ScheduledExecutorService scheduler;
    private final Random random = new Random();
    private ScheduledFuture<?> generating;

    // events: a list whose element i has id firstListedId + i; ids <= expiredUpTo have aged out
    private final ArrayList<SimulatedEvent> events = new ArrayList<>();
    private long firstListedId = 1;
    private long lastId;
    private long expiredUpTo;

    // OAuth
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final List<Map<String, String>> tokenRequests = new ArrayList<>();
    private volatile boolean acceptAnyCode;
    private volatile String expectedClientId;
    private volatile String expectedClientSecret;

    // fault injection
    private final ConcurrentLinkedQueue<Fault> apiFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> tokenFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
    private volatile int qpsLimit;
    private volatile int dailyQuota;
    /** Calls per token in the current day of the simulator's clock, for the daily quota: token -> {day, calls}. */
    private final Map<String, long[]> callsToday = new HashMap<>();
    private final Map<String, Deque<Long>> callsPerToken = new HashMap<>();

    // observation
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightPerToken = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlightPerToken = new ConcurrentHashMap<>();

    // folder listing
    private final ConcurrentSkipListMap<String, FileEntry> files = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Instant> folders = new ConcurrentSkipListMap<>();

    // native webhooks
    private final TokenGrants grants = new TokenGrants();
    private final SimulatedWebhooks webhooks;

    private record Fault(int status, String masheryCode, long retryAfterSeconds, boolean malformed) {
    }

    private record FileEntry(String path, String entryId, String groupId, Instant created, Instant modified, long size) {
    }

    public EgnyteSimulator() {
        this(Clock.systemUTC());
    }

    /** A simulator whose event timestamps and file dates come from the given clock. */
    public EgnyteSimulator(Clock clock) {
        this(clock, 0);
    }

    /** A simulator on this loopback port (0: any free port), timestamps from the given clock. */
    public EgnyteSimulator(Clock clock, int port) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = new LoopbackServer("Egnyte simulator", port, this::handle);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "egnyte-simulator-events");
            t.setDaemon(true);
            return t;
        });
        this.webhooks = new SimulatedWebhooks(this::now, grants, SIMULATED_DOMAIN);
    }

    /** Starts serving; returns this for chaining. */
    public EgnyteSimulator start() {
        http.start();
        return this;
    }

    /** Stops the server and the event generator. */
    @Override
    public void close() {
        if (http.close()) {
            scheduler.shutdownNow();
            webhooks.close();
        }
    }

    /** {@code http://127.0.0.1:<port>}, the simulated domain's base URL (no trailing slash). */
    public String baseUrl() {
        return http.baseUrl();
    }

    public int port() {
        return http.port();
    }

    // ------------------------------------------------------------------ OAuth and tokens

    /** The code exchange will turn this authorization code (once) into this access token. */
    public EgnyteSimulator acceptCode(String code, String accessToken) {
        codes.put(Objects.requireNonNull(code, "code"), Objects.requireNonNull(accessToken, "accessToken"));
        return this;
    }

    /** When true, any unknown code is exchanged for a token derived from the code (the sandbox mode's behaviour). */
    public EgnyteSimulator acceptAnyCode(boolean accept) {
        this.acceptAnyCode = accept;
        return this;
    }

    /** Makes the token endpoint answer 401 invalid_client unless these client credentials are sent. */
    public EgnyteSimulator expectClient(String clientId, String clientSecret) {
        this.expectedClientId = clientId;
        this.expectedClientSecret = clientSecret;
        return this;
    }

    /** The token a code would be exchanged for when {@link #acceptAnyCode(boolean)} is on. */
    public static String tokenForCode(String code) {
        return "sim-" + SimulatedEvent.stableId("code:" + code).replace("-", "");
    }

    /** Accepts this bearer token on /pubapi as if it had been issued. */
    public EgnyteSimulator registerToken(String token) {
        tokens.add(Objects.requireNonNull(token, "token"));
        return this;
    }

    /** Later /pubapi calls with this token answer 401, as after a password change or revocation. */
    public EgnyteSimulator revokeToken(String token) {
        tokens.remove(token);
        return this;
    }

    public boolean isTokenValid(String token) {
        return tokens.contains(token);
    }

    /** The form fields of every token request received, in order. */
    public List<Map<String, String>> tokenRequests() {
        synchronized (tokenRequests) {
            return List.copyOf(tokenRequests);
        }
    }

    /** The next n token requests answer 409 with Retry-After, Egnyte's token endpoint limit. */
    public EgnyteSimulator tokenRateLimitNext(int n, long retryAfterSeconds) {
        for (int i = 0; i < n; i++) {
            tokenFaults.add(new Fault(409, null, retryAfterSeconds, false));
        }
        return this;
    }

    // ------------------------------------------------------------------ events

    /**
     * Adds a file-system event by the WebUI user 1 at the clock's current time. Move, copy and rename get a plausible
     * source path. Returns the new event's id.
     */
    public long addEvent(String action, String path, boolean isFolder) {
        return addEvent(SimulatedEvent.FILE_SYSTEM, action, "WebUI", 1, path, sourcePathFor(action, path), isFolder);
    }

    /** Adds a note event (type {@code note}, data.note_id) and returns its id. */
    public long addNoteEvent(String action, String path) {
        return addEvent(SimulatedEvent.NOTE, action, "WebUI", 1, path, null, false);
    }

    /** Adds an event with every field given; the id and timestamp are assigned. Returns the new event's id. */
    public long addEvent(String type, String action, String actionSource, int actor, String targetPath,
                         String sourcePath, boolean isFolder) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetPath, "targetPath");
        synchronized (events) {
            long id = lastId + 1;
            SimulatedEvent event = new SimulatedEvent(id, now(), actionSource, actor, type, action, targetPath,
                    sourcePath, isFolder);
            events.add(event);
            lastId = id;
            webhooks.published(event);
            if (id - expiredUpTo > MAX_RETAINED_EVENTS) {
                expireLocked(id - MAX_RETAINED_EVENTS);
            }
            return id;
        }
    }

    /** Adds n varied file events (creates, updates, deletes, folders, several users) and returns the last id. */
    public long addEvents(int n) {
        String[] actions = {"create", "copy", "move", "rename", "delete"};
        String[] sources = {"WebUI", "SyncEngine", "Mobile", "PublicAPI"};
        long last;
        synchronized (events) {
            events.ensureCapacity(events.size() + n);
            for (int i = 0; i < n; i++) {
                long id = lastId + 1;
                String action = actions[(int) (id % actions.length)];
                boolean folder = id % 10 == 0;
                String path = "/Shared/Bulk/" + (id % 50) + (folder ? "/folder-" + id : "/file-" + id + ".txt");
                events.add(new SimulatedEvent(id, now(), sources[(int) (id % sources.length)], 1 + (int) (id % 5),
                        SimulatedEvent.FILE_SYSTEM, action, path, sourcePathFor(action, path), folder));
                lastId = id;
            }
            if (n > 0 && webhooks.anyRegistered()) {
                events.subList(events.size() - n, events.size()).forEach(webhooks::published);
            }
            if (lastId - expiredUpTo > MAX_RETAINED_EVENTS) {
                expireLocked(lastId - MAX_RETAINED_EVENTS);
            }
            last = lastId;
        }
        return last;
    }

    /** Ages out every event with an id up to and including this one, as Egnyte does after 30 days. */
    public EgnyteSimulator expireEventsUpTo(long id) {
        synchronized (events) {
            expireLocked(Math.min(id, lastId));
        }
        return this;
    }

    private void expireLocked(long id) {
        if (id <= expiredUpTo) {
            return;
        }
        expiredUpTo = id;
        // drop the expired prefix once it is a large share of the list, keeping removal cost amortized
        int expiredInList = (int) (expiredUpTo - firstListedId + 1);
        if (expiredInList > 1024 && expiredInList > events.size() / 2) {
            events.subList(0, expiredInList).clear();
            firstListedId = expiredUpTo + 1;
        }
    }

    public long latestEventId() {
        synchronized (events) {
            return lastId;
        }
    }

    /** The oldest retained event id (the latest id when none is retained). */
    public long oldestEventId() {
        synchronized (events) {
            return lastId > expiredUpTo ? expiredUpTo + 1 : lastId;
        }
    }

    /** A retained event by id, or null. */
    public SimulatedEvent event(long id) {
        synchronized (events) {
            if (id <= expiredUpTo || id > lastId) {
                return null;
            }
            return events.get((int) (id - firstListedId));
        }
    }

    /** The event as the events endpoint renders it, or null when not retained. */
    public ObjectNode eventJson(long id) {
        SimulatedEvent e = event(id);
        return e == null ? null : e.toJson(json, baseUrl());
    }

    /** Adds a plausible random file event every period until {@link #stopGeneratingEvents()} or {@link #close()}. */
    public synchronized EgnyteSimulator startGeneratingEvents(Duration every) {
        if (every == null || every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the event period must be positive");
        }
        stopGeneratingEvents();
        long millis = Math.max(1, every.toMillis());
        generating = scheduler.scheduleAtFixedRate(this::addRandomEvent, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    public synchronized void stopGeneratingEvents() {
        if (generating != null) {
            generating.cancel(false);
            generating = null;
        }
    }

    private void addRandomEvent() {
        try {
            String[] folderNames = {"/Shared/Projects", "/Shared/Finance", "/Shared/Marketing", "/Private/alice"};
            String[] names = {"report", "budget", "plan", "minutes", "design", "contract"};
            String[] extensions = {".docx", ".xlsx", ".pdf", ".pptx", ".txt"};
            String[] actions = {"create", "create", "create", "copy", "move", "rename", "delete"};
            String[] sources = {"WebUI", "WebUI", "SyncEngine", "Mobile"};
            String path = folderNames[random.nextInt(folderNames.length)] + "/"
                    + names[random.nextInt(names.length)] + "-" + (1 + random.nextInt(40))
                    + extensions[random.nextInt(extensions.length)];
            String action = actions[random.nextInt(actions.length)];
            addEvent(SimulatedEvent.FILE_SYSTEM, action, sources[random.nextInt(sources.length)], 1 + random.nextInt(4),
                    path, sourcePathFor(action, path), false);
            if (action.equals("delete")) {
                files.remove(path);
            } else {
                putFile(path, now(), now());
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is silently cancelled: log and keep generating
            LOG.warn("Egnyte simulator could not generate an event: {}", e.toString());
        }
    }

    private static String sourcePathFor(String action, String path) {
        int slash = path.lastIndexOf('/');
        String parent = slash <= 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        return switch (action) {
            case "move" -> "/Shared/Inbox/" + name;
            case "copy" -> "/Shared/Templates/" + name;
            case "rename" -> parent + "/old-" + name;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ faults

    /** The next n /pubapi calls answer this status with a short JSON error. */
    public EgnyteSimulator failNext(int n, int status) {
        for (int i = 0; i < n; i++) {
            apiFaults.add(new Fault(status, null, 0, false));
        }
        return this;
    }

    /** The next n /pubapi calls answer 403 with this X-Mashery-Error-Code and Retry-After. */
    public EgnyteSimulator rateLimitNext(int n, String masheryErrorCode, long retryAfterSeconds) {
        if (!OVER_QPS.equals(masheryErrorCode) && !OVER_RATE.equals(masheryErrorCode)) {
            throw new IllegalArgumentException("expected " + OVER_QPS + " or " + OVER_RATE);
        }
        for (int i = 0; i < n; i++) {
            apiFaults.add(new Fault(403, masheryErrorCode, retryAfterSeconds, false));
        }
        return this;
    }

    /** The next n /pubapi calls answer 200 with a body that is not valid JSON. */
    public EgnyteSimulator malformedNext(int n) {
        for (int i = 0; i < n; i++) {
            apiFaults.add(new Fault(200, null, 0, true));
        }
        return this;
    }

    /** The next n /pubapi calls wait this long before answering (they still answer normally). */
    public EgnyteSimulator delayNext(int n, long millis) {
        for (int i = 0; i < n; i++) {
            delays.add(millis);
        }
        return this;
    }

    /** Enforces at most this many /pubapi calls per token per second (403 OVER_QPS past it); 0 turns it off. */
    public EgnyteSimulator enforceQps(int callsPerSecond) {
        this.qpsLimit = Math.max(0, callsPerSecond);
        return this;
    }

    /**
     * Enforces Egnyte's daily quota: at most this many /pubapi calls per token in a UTC day of the simulator's clock;
     * past it, 403 with X-Mashery-Error-Code ERR_403_DEVELOPER_OVER_RATE and Retry-After until the next day. 0 turns it
     * off.
     */
    public EgnyteSimulator enforceDailyQuota(int callsPerDay) {
        this.dailyQuota = Math.max(0, callsPerDay);
        return this;
    }

    /** Forgets queued faults and delays. */
    public EgnyteSimulator clearFaults() {
        apiFaults.clear();
        tokenFaults.clear();
        delays.clear();
        return this;
    }

    // ------------------------------------------------------------------ observation

    /** Every request received (the latest 10,000), in arrival order. */
    public List<RecordedRequest> requests() {
        return SandboxHttp.snapshot(requests);
    }

    /** The requests whose path starts with this prefix. */
    public List<RecordedRequest> requestsTo(String pathPrefix) {
        return requests().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** Requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests ever answered at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The most /pubapi requests with this bearer token ever answered at the same time. */
    public int maxInFlight(String token) {
        AtomicInteger max = maxInFlightPerToken.get(token);
        return max == null ? 0 : max.get();
    }

    public void resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
        maxInFlightPerToken.clear();
    }

    // ------------------------------------------------------------------ files

    /**
     * Adds or modifies a file for the folder listing. A modification keeps the file's group_id and gets a new
     * entry_id, as a new Egnyte version does. {@code uploaded} is served from createdAt, {@code last_modified} from
     * modifiedAt.
     */
    public EgnyteSimulator putFile(String path, Instant createdAt, Instant modifiedAt) {
        String p = normalize(path);
        if (p.equals("/")) {
            throw new IllegalArgumentException("a file path is required");
        }
        files.compute(p, (k, old) -> new FileEntry(p,
                SimulatedEvent.stableId("entry:" + p + ":" + modifiedAt.toEpochMilli()),
                old == null ? SimulatedEvent.stableId("group:" + p) : old.groupId(),
                createdAt, modifiedAt, 1024L + (p.hashCode() & 0xffff)));
        return this;
    }

    /** Adds an (empty) folder for the folder listing. */
    public EgnyteSimulator putFolder(String path, Instant modifiedAt) {
        folders.put(normalize(path), modifiedAt);
        return this;
    }

    public EgnyteSimulator deleteFile(String path) {
        files.remove(normalize(path));
        return this;
    }

    // ------------------------------------------------------------------ native webhooks

    /** This token's grant lacks scope {@code Egnyte.webhooks}: /pubapi/v1/webhooks answers it 403. */
    public EgnyteSimulator withoutWebhooksScope(String token) {
        grants.withoutWebhooksScope(Objects.requireNonNull(token, "token"));
        return this;
    }

    /** This token's user is not a domain administrator: /pubapi/v1/webhooks answers it 403. */
    public EgnyteSimulator notAdmin(String token) {
        grants.notAdmin(Objects.requireNonNull(token, "token"));
        return this;
    }

    /** The live (unexpired) webhook registrations, in registration order. */
    public List<SimulatedWebhook> webhooks() {
        return webhooks.snapshot();
    }

    /** Every push attempt made or dropped (the latest 10,000), in the order they ended. */
    public List<WebhookPush> pushes() {
        return webhooks.pusher().pushes();
    }

    public EgnyteSimulator clearPushes() {
        webhooks.pusher().clearPushes();
        return this;
    }

    /** The next n pushes are lost: not sent, not retried, recorded as dropped (Egnyte's at-least-once has gaps). */
    public EgnyteSimulator dropNextPushes(int n) {
        webhooks.pusher().dropNext(n);
        return this;
    }

    /** How long a registration lives after it is made or renewed by a PUT (default 7 days, simulator clock). */
    public EgnyteSimulator webhookTtl(Duration ttl) {
        webhooks.ttl(Objects.requireNonNull(ttl, "ttl"));
        return this;
    }

    /** Makes this registration expire now: it stops pushing and the API treats it as gone. */
    public EgnyteSimulator expireWebhook(String webhookId) {
        webhooks.expire(webhookId);
        return this;
    }

    /** Disables this registration, as Egnyte does after repeated push failures. */
    public EgnyteSimulator disableWebhook(String webhookId) {
        webhooks.disable(webhookId);
        return this;
    }

    /** At most this many live registrations in the domain (default 10); a POST past it answers 409. */
    public EgnyteSimulator webhookLimit(int limit) {
        webhooks.limit(limit);
        return this;
    }

    /** The waits before each retry of a failed push (default 1, 2, 4, 8, 15, 30 s); its size is the retry count. */
    public EgnyteSimulator pushRetryDelays(List<Duration> delays) {
        webhooks.pusher().retryDelays(Objects.requireNonNull(delays, "delays"));
        return this;
    }

    /** Permanent push failures in a row that disable a registration (default 3). */
    public EgnyteSimulator pushFailuresToDisable(int failures) {
        webhooks.failuresToDisable(failures);
        return this;
    }

    /** How long events wait for companions before a push (default 100 ms). */
    public EgnyteSimulator pushBatchWindow(Duration window) {
        webhooks.pusher().batchWindow(Objects.requireNonNull(window, "window"));
        return this;
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        String token = null;
        try {
            RecordedRequest request = SandboxHttp.capture(exchange);
            SandboxHttp.appendBounded(requests, request, REQUEST_LOG_LIMIT);
            String path = request.path();
            if (path.equals("/puboauth/token")) {
                handleToken(exchange, request);
            } else if (path.startsWith("/pubapi/")) {
                token = bearer(request);
                if (token != null) {
                    int mine = inFlightPerToken.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
                    maxInFlightPerToken.computeIfAbsent(token, t -> new AtomicInteger()).accumulateAndGet(mine, Math::max);
                }
                handleApi(exchange, request, token);
            } else {
                sendJson(exchange, 404, error("errorMessage", "No such resource"));
            }
        } catch (RuntimeException e) {
            LOG.warn("Egnyte simulator failed on {} {}: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), e.toString());
            sendJson(exchange, 500, error("errorMessage", "simulator error"));
        } finally {
            if (token != null) {
                inFlightPerToken.get(token).decrementAndGet();
            }
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private void handleToken(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (request.method().equals("GET")) {
            authorize(exchange, request);
            return;
        }
        if (!request.method().equals("POST")) {
            sendJson(exchange, 405, error("error", "method not allowed"));
            return;
        }
        Map<String, String> form = SandboxHttp.parseForm(request.body());
        synchronized (tokenRequests) {
            tokenRequests.add(Map.copyOf(form));
        }
        Fault fault = tokenFaults.poll();
        if (fault != null) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(fault.retryAfterSeconds()));
            sendJson(exchange, fault.status(), error("errorMessage", "Too many token requests"));
            return;
        }
        if (!"authorization_code".equals(form.get("grant_type"))) {
            sendJson(exchange, 400, oauthError("unsupported_grant_type", "grant_type must be authorization_code"));
            return;
        }
        if (expectedClientId != null && (!expectedClientId.equals(form.get("client_id"))
                || !Objects.equals(expectedClientSecret, form.get("client_secret")))) {
            sendJson(exchange, 401, oauthError("invalid_client", "Unknown client or wrong client secret"));
            return;
        }
        String code = form.get("code");
        String accessToken = code == null ? null : codes.remove(code);
        if (accessToken == null && acceptAnyCode && code != null && !code.isBlank()) {
            accessToken = tokenForCode(code);
        }
        if (accessToken == null) {
            sendJson(exchange, 400, oauthError("invalid_grant", "The authorization code is invalid or was already used"));
            return;
        }
        tokens.add(accessToken);
        grants.tokenIssued(code, accessToken);
        ObjectNode body = json.createObjectNode();
        body.put("access_token", accessToken);
        body.put("token_type", "bearer");
        body.put("expires_in", -1);
        sendJson(exchange, 200, body);
    }

    /** The authorize step: redirects to redirect_uri with a fresh single-use code, as if the user had consented. */
    private void authorize(HttpExchange exchange, RecordedRequest request) throws IOException {
        Map<String, String> q = SandboxHttp.parseForm(request.query());
        String redirect = q.get("redirect_uri");
        if (!"code".equals(q.get("response_type")) || redirect == null || redirect.isBlank()) {
            sendJson(exchange, 400, oauthError("invalid_request", "response_type=code and redirect_uri are required"));
            return;
        }
        String code = "simcode-" + SimulatedEvent.stableId(redirect + System.nanoTime() + random.nextLong());
        codes.put(code, tokenForCode(code));
        grants.codeAuthorized(code, q.get("scope"));
        StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?')
                .append("code=").append(URLEncoder.encode(code, StandardCharsets.UTF_8));
        if (q.get("state") != null) {
            location.append("&state=").append(URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        }
        exchange.getResponseHeaders().set("Location", location.toString());
        SandboxHttp.send(exchange, 302, null, null);
    }

    private void handleApi(HttpExchange exchange, RecordedRequest request, String token) throws IOException {
        Long delay = delays.poll();
        if (delay != null) {
            SandboxHttp.pause(delay);
        }
        Fault fault = apiFaults.poll();
        if (fault != null) {
            sendFault(exchange, fault);
            return;
        }
        if (token == null || !tokens.contains(token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            sendJson(exchange, 401, error("errorMessage", "Invalid or revoked access token"));
            return;
        }
        if (overQps(token)) {
            sendFault(exchange, new Fault(403, OVER_QPS, 1, false));
            return;
        }
        long quotaResetsIn = overDailyQuota(token);
        if (quotaResetsIn > 0) {
            sendFault(exchange, new Fault(403, OVER_RATE, quotaResetsIn, false));
            return;
        }
        String path = request.path();
        if (SimulatedWebhooks.handles(path)) {
            SimulatedWebhooks.Answer answer = webhooks.handle(request.method(), path, request.body(), token);
            if (answer.body() == null) {
                SandboxHttp.send(exchange, answer.status(), null, null);
            } else {
                sendJson(exchange, answer.status(), (ObjectNode) answer.body());
            }
            return;
        }
        if (!request.method().equals("GET")) {
            sendJson(exchange, 405, error("errorMessage", "Only GET is simulated"));
            return;
        }
        Map<String, String> query = SandboxHttp.parseForm(request.query());
        if (path.equals("/pubapi/v1/events/cursor")) {
            cursor(exchange);
        } else if (path.equals("/pubapi/v1/events")) {
            events(exchange, query);
        } else if (path.equals("/pubapi/v1/fs") || path.startsWith("/pubapi/v1/fs/")) {
            listing(exchange, path.substring("/pubapi/v1/fs".length()));
        } else {
            sendJson(exchange, 404, error("errorMessage", "No such resource"));
        }
    }

    private void sendFault(HttpExchange exchange, Fault fault) throws IOException {
        if (fault.malformed()) {
            SandboxHttp.send(exchange, 200, "application/json", "{\"latest_id\": 12, \"events\": [{\"id\": 1,");
        } else if (fault.masheryCode() != null) {
            exchange.getResponseHeaders().set("X-Mashery-Error-Code", fault.masheryCode());
            exchange.getResponseHeaders().set("Retry-After", Long.toString(fault.retryAfterSeconds()));
            String title = fault.masheryCode().equals(OVER_QPS) ? "Developer Over Qps" : "Developer Over Rate";
            SandboxHttp.send(exchange, 403, "text/html", "<h1>" + title + "</h1>");
        } else {
            sendJson(exchange, fault.status(), error("errorMessage", "Simulated failure " + fault.status()));
        }
    }

    /** Counts the call; when it is over the day's quota, the seconds until the quota resets (0 when within it). */
    private long overDailyQuota(String token) {
        int quota = dailyQuota;
        if (quota <= 0) {
            return 0;
        }
        Instant now = now();
        long day = now.getEpochSecond() / 86_400;
        synchronized (callsToday) {
            long[] today = callsToday.computeIfAbsent(token, t -> new long[] {day, 0});
            if (today[0] != day) {
                today[0] = day;
                today[1] = 0;
            }
            if (today[1] >= quota) {
                return Math.max(1, (day + 1) * 86_400 - now.getEpochSecond());
            }
            today[1]++;
            return 0;
        }
    }

    private boolean overQps(String token) {
        int limit = qpsLimit;
        if (limit <= 0) {
            return false;
        }
        long nowNanos = System.nanoTime();
        synchronized (callsPerToken) {
            Deque<Long> calls = callsPerToken.computeIfAbsent(token, t -> new ArrayDeque<>());
            while (!calls.isEmpty() && nowNanos - calls.peekFirst() >= 1_000_000_000L) {
                calls.pollFirst();
            }
            if (calls.size() >= limit) {
                return true;
            }
            calls.addLast(nowNanos);
            return false;
        }
    }

    private void cursor(HttpExchange exchange) throws IOException {
        ObjectNode body = json.createObjectNode();
        synchronized (events) {
            body.put("latest_event_id", lastId);
            body.put("oldest_event_id", lastId > expiredUpTo ? expiredUpTo + 1 : lastId);
        }
        body.put("timestamp", SimulatedEvent.TIMESTAMP.format(now()));
        sendJson(exchange, 200, body);
    }

    private void events(HttpExchange exchange, Map<String, String> query) throws IOException {
        long cursor;
        int count;
        try {
            String id = query.get("id");
            if (id == null) {
                sendJson(exchange, 400, error("errorMessage", "Parameter id is required"));
                return;
            }
            cursor = Long.parseLong(id);
            count = query.containsKey("count") ? Integer.parseInt(query.get("count")) : MAX_PAGE;
        } catch (NumberFormatException e) {
            sendJson(exchange, 400, error("errorMessage", "Parameters id and count must be whole numbers"));
            return;
        }
        if (count < 1 || count > MAX_PAGE) {
            sendJson(exchange, 400, error("errorMessage", "count must be between 1 and " + MAX_PAGE));
            return;
        }
        String type = query.get("type");
        if (type != null && !type.equals(SimulatedEvent.FILE_SYSTEM) && !type.equals(SimulatedEvent.NOTE)) {
            sendJson(exchange, 400, error("errorMessage", "type must be file_system or note"));
            return;
        }
        String suppress = query.get("suppress");
        if (suppress != null && !suppress.equals("app") && !suppress.equals("user")) {
            sendJson(exchange, 400, error("errorMessage", "suppress must be app or user"));
            return;
        }
        String folder = query.get("folder");
        String folderPrefix = folder == null || folder.isBlank() ? null : normalize(folder);

        List<SimulatedEvent> page = new ArrayList<>();
        long scannedUpTo;
        synchronized (events) {
            if (cursor < expiredUpTo) {
                sendJson(exchange, 404, error("errorMessage",
                        "Event id " + cursor + " is too old; the oldest retained event is " + (expiredUpTo + 1)));
                return;
            }
            scannedUpTo = cursor;
            for (long id = cursor + 1; id <= lastId && page.size() < count; id++) {
                SimulatedEvent e = events.get((int) (id - firstListedId));
                scannedUpTo = id;
                if (matches(e, type, suppress, folderPrefix)) {
                    page.add(e);
                }
            }
        }
        if (page.isEmpty()) {
            SandboxHttp.send(exchange, 204, null, null);
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.put("latest_id", scannedUpTo);
        body.put("oldest_id", page.get(0).id());
        body.put("count", page.size());
        ArrayNode list = body.putArray("events");
        String base = baseUrl();
        for (SimulatedEvent e : page) {
            list.add(e.toJson(json, base));
        }
        sendJson(exchange, 200, body);
    }

    private static boolean matches(SimulatedEvent e, String type, String suppress, String folderPrefix) {
        if (type != null && !type.equals(e.type())) {
            return false;
        }
        if ("app".equals(suppress) && "PublicAPI".equals(e.actionSource())) {
            return false;
        }
        if ("user".equals(suppress) && e.actor() == TOKEN_USER) {
            return false;
        }
        return folderPrefix == null || folderPrefix.equals("/") || e.targetPath().equals(folderPrefix)
                || e.targetPath().startsWith(folderPrefix + "/");
    }

    private void listing(HttpExchange exchange, String rawPath) throws IOException {
        String path = normalize(rawPath);
        FileEntry file = files.get(path);
        if (file != null) {
            sendJson(exchange, 200, fileJson(file));
            return;
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode fileList = json.createArrayNode();
        Map<String, Instant> childFolders = new TreeMap<>();
        String prefix = path.equals("/") ? "/" : path + "/";
        for (FileEntry f : files.tailMap(prefix).values()) {
            if (!f.path().startsWith(prefix)) {
                break;
            }
            String rest = f.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                fileList.add(fileJson(f));
            } else {
                childFolders.merge(prefix + rest.substring(0, slash), f.modified(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        for (Map.Entry<String, Instant> f : folders.tailMap(prefix).entrySet()) {
            if (!f.getKey().startsWith(prefix)) {
                break;
            }
            String rest = f.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            String child = prefix + (slash < 0 ? rest : rest.substring(0, slash));
            childFolders.merge(child, f.getValue(), (a, b) -> a.isAfter(b) ? a : b);
        }
        boolean known = path.equals("/") || path.equals("/Shared") || path.equals("/Private")
                || folders.containsKey(path) || !fileList.isEmpty() || !childFolders.isEmpty();
        if (!known) {
            sendJson(exchange, 404, error("errorMessage", "Item not found"));
            return;
        }
        body.put("name", path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1));
        body.put("path", path);
        body.put("folder_id", SimulatedEvent.stableId("folder:" + path));
        body.put("is_folder", true);
        body.put("count", fileList.size() + childFolders.size());
        body.set("files", fileList);
        ArrayNode folderList = body.putArray("folders");
        childFolders.forEach((p, modified) -> {
            ObjectNode f = folderList.addObject();
            f.put("folder_id", SimulatedEvent.stableId("folder:" + p));
            f.put("path", p);
            f.put("name", p.substring(p.lastIndexOf('/') + 1));
            f.put("lastModified", modified.toEpochMilli());
            f.put("is_folder", true);
        });
        sendJson(exchange, 200, body);
    }

    private ObjectNode fileJson(FileEntry f) {
        ObjectNode o = json.createObjectNode();
        o.put("entry_id", f.entryId());
        o.put("group_id", f.groupId());
        o.put("path", f.path());
        o.put("name", f.path().substring(f.path().lastIndexOf('/') + 1));
        o.put("last_modified", RFC_1123.format(f.modified()));
        o.put("uploaded", f.created().toEpochMilli());
        o.put("size", f.size());
        o.put("is_folder", false);
        return o;
    }

    // ------------------------------------------------------------------ helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String bearer(RecordedRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = auth.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String normalize(String path) {
        String p = path == null ? "" : path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private ObjectNode error(String field, String message) {
        ObjectNode o = json.createObjectNode();
        o.put(field, message);
        return o;
    }

    private ObjectNode oauthError(String error, String description) {
        ObjectNode o = json.createObjectNode();
        o.put("error", error);
        o.put("error_description", description);
        return o;
    }

    private void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SandboxHttp.send(exchange, status, "application/json", text);
    }
}

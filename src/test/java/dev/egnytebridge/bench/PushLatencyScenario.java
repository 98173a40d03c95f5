package dev.egnytebridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.push.PushRegistration;
import dev.egnytebridge.push.PushRegistrations;
import dev.egnytebridge.push.PushState;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.sandbox.RecordedRequest;
import dev.egnytebridge.sandbox.WebhookPush;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static dev.egnytebridge.bench.BenchFigures.percentile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 8, push latency (issue 14): N instances in webhooks mode and N in polling mode side by side, every one with
 * the same refresh interval (the backstop in webhooks mode), each on its own Egnyte token, its own folder (the events
 * resource's {@code folder} filter, which also becomes its webhook's {@code path}) and its own callback path on a real
 * receiver on loopback, all on one Egnyte simulator in this JVM (which pushes each new event to the registered
 * webhooks). Once every registration is active and every instance has had its first poll, file events are added at
 * random times, one at a time per instance folder; latency is from the moment an event is added at the simulator to
 * the arrival at the receiver of the notification carrying it (matched by {@code objectId}, the Egnyte event id).
 */
abstract class PushLatencyScenario extends BridgeTestSupport {

    static final double TARGET_P99_MS = 2000;
    /** Reported apart as well: the events of the window's first seconds meet the bridge's first pushes and notifications. */
    static final long SETTLE_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    protected final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    protected final CallbackSink sink = new CallbackSink().start();
    private String section = "";

    protected abstract BenchScale scale();

    /** One benchmark instance: its mode, its folder at Egnyte, its callback path and token. */
    record Bench(int index, Instance instance, boolean webhooks, String folder, String callbackPath, String token) {
    }

    /** One event added during the window: which instance's folder, its Egnyte id, when it was added (epoch ms). */
    record Added(Bench bench, long eventId, long addedMs) {
    }

    /** One mode's figures. */
    record Mode(List<Double> latenciesMs, int added, int received, long polls, long eventCalls) {
        double mean() {
            return latenciesMs.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        // the receiver of Egnyte's pushes is this bridge on loopback (http is allowed for a loopback host)
        p.setProperty("bridge.public-base-url", baseUrl());
        p.setProperty("bridge.poller.min-interval-seconds", String.valueOf(Math.min(60, scale().push().intervalSeconds())));
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        BenchScale.bridgeOverrides().forEach(p::setProperty);
        return p;
    }

    @AfterAll
    void closeFakes() {
        egnyte.close();
        sink.close();
    }

    @Test
    void measuresEventToCallbackLatencyWithAndWithoutPushes() throws Exception {
        BenchScale.Push s = scale().push();
        int n = s.instances();
        // the simulator allows 10 live registrations in its one domain by default; each webhooks instance needs one
        egnyte.webhookLimit(Math.max(10, n));

        long setupStart = System.currentTimeMillis();
        List<Bench> benches = new ArrayList<>();
        for (int i = 0; i < 2 * n; i++) {
            benches.add(create(i, i % 2 == 0)); // interleaved, so both modes are created and first polled alike
        }
        List<Bench> pushed = benches.stream().filter(Bench::webhooks).toList();
        List<Bench> polled = benches.stream().filter(b -> !b.webhooks()).toList();
        // every registration active at Egnyte, every instance's first poll (Egnyte's cursor) done and none running
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                pushed.stream().allMatch(b -> registrations().find(b.instance().id()).map(PushRegistration::state)
                        .orElse(null) == PushState.ACTIVE)
                        && benches.stream().allMatch(b -> polls(b) >= 1) && nonePolling());
        double setupSeconds = (System.currentTimeMillis() - setupStart) / 1000.0;
        Map<String, Bench> byWebhook = new HashMap<>();
        for (Bench b : pushed) {
            byWebhook.put(registrations().find(b.instance().id()).orElseThrow().webhookId(), b);
        }
        assertThat(egnyte.webhooks()).hasSize(n);

        // the window: events at random times, one at a time per instance folder
        Map<Bench, Long> pollsBefore = new HashMap<>();
        benches.forEach(b -> pollsBefore.put(b, polls(b)));
        int pushesBefore = egnyte.pushes().size();
        List<long[]> plan = plan(benches.size(), s);
        List<Added> added = new ArrayList<>();
        long windowStart = System.currentTimeMillis();
        for (long[] next : plan) {
            long wait = windowStart + next[0] - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait); // pacing of the events
            }
            Bench b = benches.get((int) next[1]);
            long at = System.currentTimeMillis();
            long id = egnyte.addEvent("create", b.folder() + "/file-" + added.size() + ".txt", false);
            added.add(new Added(b, id, at));
        }
        long windowEnd = System.currentTimeMillis();
        // every event, or one interval (polling's worst case) and the wait more
        Set<String> wanted = new HashSet<>();
        added.forEach(a -> wanted.add(String.valueOf(a.eventId())));
        await().atMost(Duration.ofSeconds(s.intervalSeconds() + (long) s.waitSeconds())).pollInterval(Duration.ofMillis(500))
                .until(() -> arrivals(benches).keySet().containsAll(wanted));
        long measuredEnd = System.currentTimeMillis();

        Map<String, Arrival> arrivals = arrivals(benches);
        long misdelivered = arrivals.values().stream().filter(Arrival::misdelivered).count()
                + arrivals.keySet().stream().filter(id -> !wanted.contains(id)).count();
        List<WebhookPush> pushes = new ArrayList<>(egnyte.pushes());
        pushes = pushes.subList(Math.min(pushesBefore, pushes.size()), pushes.size());
        long pushAttempts = pushes.stream().filter(p -> !p.dropped()).count();
        long pushesDelivered = pushes.stream().filter(WebhookPush::delivered).count();
        long eventsPushed = pushes.stream().filter(WebhookPush::delivered).mapToLong(p -> p.eventIds().size()).sum();
        long pushesElsewhere = pushes.stream().filter(p -> !byWebhook.containsKey(p.webhookId())).count();
        // the first half of the path: from the event added to the bridge's receiver answering its push (200)
        Map<String, Long> addedAt = new HashMap<>();
        added.forEach(a -> addedAt.put(String.valueOf(a.eventId()), a.addedMs()));
        Map<String, Long> pushAnswered = new HashMap<>();
        pushes.stream().filter(WebhookPush::delivered).forEach(p -> p.eventIds()
                .forEach(id -> pushAnswered.merge(id, p.at().toEpochMilli(), Math::min)));
        List<Double> toPushAnswered = pushAnswered.entrySet().stream().filter(e -> addedAt.containsKey(e.getKey()))
                .map(e -> (double) (e.getValue() - addedAt.get(e.getKey()))).toList();
        // the same events without the window's first seconds (the bridge's first pushes and notifications)
        long settled = windowStart + SETTLE_MS;
        List<Added> later = added.stream().filter(a -> a.addedMs() >= settled).toList();
        Mode webhooksLater = mode(pushed, later, arrivals, pollsBefore, windowStart, measuredEnd);
        Mode pollingLater = mode(polled, later, arrivals, pollsBefore, windowStart, measuredEnd);

        Mode webhooks = mode(pushed, added, arrivals, pollsBefore, windowStart, measuredEnd);
        Mode polling = mode(polled, added, arrivals, pollsBefore, windowStart, measuredEnd);
        writeEvents(added, arrivals);

        double windowSeconds = (windowEnd - windowStart) / 1000.0;
        double measuredMinutes = (measuredEnd - windowStart) / 60_000.0;
        double p99 = percentile(webhooks.latenciesMs(), 99);
        StringBuilder md = new StringBuilder();
        md.append("## 8. Push latency: ").append(n).append(" instances in webhooks mode next to ").append(n)
                .append(" polling, every one at a ").append(s.intervalSeconds()).append(" s interval\n\n");
        md.append("Side by side in the same bridge, same run: ").append(n).append(" instances with `event.vendor.type` "
                + "`webhooks` and ").append(n).append(" with `polling`, all with `event.poller.refresh_interval` ")
                .append(s.intervalSeconds()).append(" s (the backstop in webhooks mode), each with its own Egnyte token, "
                + "its own folder (events resource `/hubs/documents/events?folder=/Shared/bench-<i>`, which is also its "
                + "webhook's `path`) and its own callback path on a real receiver on loopback (`CallbackSink`); one Egnyte "
                + "simulator in the test JVM, which pushes each new event to the registered webhooks (its push batch "
                + "window: 100 ms, the default; ").append(n > 10 ? "its limit of live registrations in the domain raised from 10 to " + n
                        : "its limit of live registrations in the domain, 10, kept")
                .append("). Each instance stored with instanceStore.insert, put in the poll schedule with "
                + "pollerScheduler.refresh and its push registration with pushRegistrations.refresh, as the REST API does; "
                + "measured once every registration was active and every instance had made its first poll (")
                .append(fmt(setupSeconds, 1)).append(" s after the first was created). Then for ").append(fmt(windowSeconds, 0))
                .append(" s a file event was added to each instance's folder at random times, one at a time (gaps uniform in ")
                .append(fmt(s.minGapMs() / 1000.0, 0)).append("–").append(fmt(s.maxGapMs() / 1000.0, 0))
                .append(" s), and the receiver was watched until every event had arrived (at most one interval and ")
                .append(s.waitSeconds()).append(" s more). Latency = arrival at the receiver of the notification "
                + "carrying the event (matched by `objectId`, the Egnyte event id) minus the moment it was added at the "
                + "simulator (same clock); an event that never arrived counts as infinitely late. Settings as resolved: "
                + "`bridge.push.coalesce-ms` ").append(property("bridge.push.coalesce-ms"))
                .append(", `egnyte.rate-limit.qps` ").append(property("egnyte.rate-limit.qps"))
                .append(" (per token; one token per instance), `bridge.poller.min-interval-seconds` ")
                .append(property("bridge.poller.min-interval-seconds")).append(" (so the interval is kept), "
                + "`egnyte.rate-limit.calls-per-day` ").append(property("egnyte.rate-limit.calls-per-day"))
                .append(", `bridge.callbacks.allow-private-addresses` true, `bridge.public-base-url` the bridge on "
                + "loopback; every other setting its default.").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | webhooks mode | polling mode | target |\n| --- | --- | --- | --- |\n");
        md.append("| latency p50 / p99 / max (ms) | ").append(triple(webhooks)).append(" | ").append(triple(polling))
                .append(" | p99 < 2,000 ms with pushes: **").append(p99 < TARGET_P99_MS ? "met" : "MISSED").append("** |\n");
        md.append("| latency mean (ms) | ").append(ms(webhooks.mean())).append(" | ").append(ms(polling.mean()))
                .append(" (about half the interval expected: ").append(ms(s.intervalSeconds() * 500.0)).append(") | |\n");
        md.append("| latency p50 / p99 / max (ms) of the events added after the window's first ").append(SETTLE_MS / 1000)
                .append(" s (").append(webhooksLater.added()).append(" and ").append(pollingLater.added())
                .append(" events) | ").append(triple(webhooksLater)).append(" | ").append(triple(pollingLater)).append(" | |\n");
        md.append("| from the event added to the bridge's receiver answering its push: p50 / p99 / max (ms) | ")
                .append(ms(percentile(toPushAnswered, 50))).append(" / ").append(ms(percentile(toPushAnswered, 99)))
                .append(" / ").append(ms(BenchFigures.max(toPushAnswered))).append(" | | |\n");
        md.append("| events added / arrived | ").append(webhooks.added()).append(" / ").append(webhooks.received())
                .append(" | ").append(polling.added()).append(" / ").append(polling.received()).append(" | |\n");
        md.append("| polls from the window's start to the last arrival (bridge.polls), per instance per minute | ")
                .append(webhooks.polls()).append(", ").append(fmt(webhooks.polls() / (double) n / measuredMinutes, 2))
                .append(" | ").append(polling.polls()).append(", ").append(fmt(polling.polls() / (double) n / measuredMinutes, 2))
                .append(" | |\n");
        md.append("| calls to Egnyte's events endpoint in that time (simulator) | ").append(webhooks.eventCalls())
                .append(" | ").append(polling.eventCalls()).append(" | |\n");
        md.append("| pushes by the simulator: attempts / answered 200 / events they carried | ").append(pushAttempts)
                .append(" / ").append(pushesDelivered).append(" / ").append(eventsPushed).append(" | none | |\n");
        md.append("\nMeasured over ").append(fmt(measuredMinutes * 60, 0)).append(" s (window and wait). Events delivered "
                + "to another instance's callback or not added in the window: ").append(misdelivered)
                .append("; pushes to a registration of no benchmark instance: ").append(pushesElsewhere).append(".\n");
        section = md.toString();

        assertThat(webhooks.added()).as("events added in webhooks mode").isPositive();
        assertThat(polling.added()).as("events added in polling mode").isPositive();
        assertThat(webhooks.received()).as("events matched at the receiver, webhooks mode").isPositive();
        assertThat(polling.received()).as("events matched at the receiver, polling mode").isPositive();
        assertThat(misdelivered).as("events at another instance's callback").isZero();
        assertThat(pushesDelivered).as("pushes the bridge's receiver took").isPositive();
    }

    @AfterAll
    void publish() {
        if (!section.isEmpty()) {
            BenchResults.publish(scale(), "8-push-latency.md", section);
        }
    }

    /** Each event's time in the window (ms) and instance index, in time order: per instance a random first gap, then gaps uniform in min..max. */
    static List<long[]> plan(int instances, BenchScale.Push s) {
        Random random = new Random(42);
        long window = s.windowSeconds() * 1000L;
        List<long[]> plan = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            long t = (long) (random.nextDouble() * s.maxGapMs());
            while (t < window) {
                plan.add(new long[] {t, i});
                t += s.minGapMs() + (long) (random.nextDouble() * (s.maxGapMs() - s.minGapMs()));
            }
        }
        plan.sort(Comparator.comparingLong(e -> e[0]));
        return plan;
    }

    private Bench create(int i, boolean webhooks) {
        BenchScale.Push s = scale().push();
        String folder = "/Shared/bench-" + i;
        String path = (webhooks ? "/webhooks-" : "/polling-") + i;
        ObjectNode configuration = JSON.createObjectNode();
        configuration.put("subdomain", "acme");
        configuration.put("event.vendor.type", webhooks ? "webhooks" : "polling");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", sink.url(path));
        configuration.put("event.poller.refresh_interval", String.valueOf(s.intervalSeconds() / 60.0));
        ObjectNode events = ResourceConfig.seedEventsResource();
        events.put("url", "/hubs/documents/events?folder=" + folder);
        configuration.putObject("event.poller.configuration").set("events", events);
        String token = "push-bench-token-" + i + "-" + System.nanoTime();
        egnyte.registerToken(token);
        Instance instance = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class)
                .insert("alice", "Push bench " + i, "egnyte", "acme", configuration,
                        new InstanceSecrets(token, "api-secret", null), List.of("bench"), true,
                        "hash-" + i + "-" + System.nanoTime());
        context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class).refresh(instance);
        registrations().refresh(instance); // as the REST API's create flow does (keep-push-in-step-on-create)
        return new Bench(i, instance, webhooks, folder, path, token);
    }

    /** When an event first arrived, and whether it came to a callback other than its instance's. */
    record Arrival(long receivedMs, String path, boolean misdelivered) {
    }

    /** The first arrival of every objectId at the benchmark's callback paths. */
    private Map<String, Arrival> arrivals(List<Bench> benches) {
        Map<String, Bench> byPath = new HashMap<>();
        benches.forEach(b -> byPath.put(b.callbackPath(), b));
        Map<String, Arrival> first = new ConcurrentHashMap<>();
        for (CallbackSink.Received r : sink.allReceived()) {
            Bench b = byPath.get(r.path());
            if (b == null) {
                continue;
            }
            JsonNode message;
            try {
                message = JSON.readTree(r.body()).path("message");
            } catch (Exception e) {
                continue;
            }
            long at = r.receivedAt().toEpochMilli();
            JsonNode raw = message.path("raw").path("events");
            for (int k = 0; k < message.path("events").size(); k++) {
                String objectId = message.path("events").get(k).path("objectId").asText();
                String target = raw.path(k).path("data").path("target_path").asText("");
                boolean elsewhere = !target.startsWith(b.folder() + "/");
                first.merge(objectId, new Arrival(at, r.path(), elsewhere),
                        (x, y) -> x.receivedMs() <= y.receivedMs() ? x : y);
            }
        }
        return first;
    }

    private Mode mode(List<Bench> benches, List<Added> added, Map<String, Arrival> arrivals, Map<Bench, Long> pollsBefore,
                      long from, long to) {
        Set<Bench> these = new HashSet<>(benches);
        List<Double> latencies = new ArrayList<>();
        int count = 0;
        int received = 0;
        for (Added a : added) {
            if (!these.contains(a.bench())) {
                continue;
            }
            count++;
            Arrival arrival = arrivals.get(String.valueOf(a.eventId()));
            if (arrival == null) {
                latencies.add(Double.POSITIVE_INFINITY);
            } else {
                received++;
                latencies.add((double) (arrival.receivedMs() - a.addedMs()));
            }
        }
        long polls = benches.stream().mapToLong(b -> polls(b) - pollsBefore.get(b)).sum();
        Set<String> tokens = new HashSet<>();
        benches.forEach(b -> tokens.add("Bearer " + b.token()));
        long calls = egnyte.requestsTo("/pubapi/v1/events").stream()
                .filter(r -> r.path().equals("/pubapi/v1/events"))
                .filter(r -> tokens.contains(r.header("Authorization")))
                .map(RecordedRequest::receivedAt)
                .filter(at -> at.toEpochMilli() >= from && at.toEpochMilli() <= to).count();
        return new Mode(latencies, count, received, polls, calls);
    }

    private static String triple(Mode m) {
        if (m.latenciesMs().isEmpty()) {
            return "none";
        }
        return ms(percentile(m.latenciesMs(), 50)) + " / " + ms(percentile(m.latenciesMs(), 99)) + " / "
                + ms(BenchFigures.max(m.latenciesMs()));
    }

    private static String ms(double value) {
        if (Double.isNaN(value)) {
            return "none";
        }
        return Double.isInfinite(value) ? "never" : String.format(java.util.Locale.ROOT, "%,.0f", value);
    }

    /** Polls of the instance on this node, whatever their outcome (the bridge.polls metric). */
    private long polls(Bench b) {
        return (long) BridgeMetrics.of(context).registry().find("bridge.polls")
                .tag(BridgeMetrics.INSTANCE_ID, String.valueOf(b.instance().id())).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private boolean nonePolling() {
        JdbcTemplate jdbc = context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
        return jdbc.queryForObject("SELECT COUNT(*) FROM element_instance WHERE poll_lease_owner IS NOT NULL",
                Integer.class) == 0;
    }

    private PushRegistrations registrations() {
        return context.getRegistry().lookupByNameAndType("pushRegistrations", PushRegistrations.class);
    }

    /** Every event as CSV under target/, for a closer look than the section's percentiles. */
    private void writeEvents(List<Added> added, Map<String, Arrival> arrivals) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("event_id,instance,mode,added_ms,received_ms,latency_ms\n");
        for (Added a : added) {
            Arrival arrival = arrivals.get(String.valueOf(a.eventId()));
            csv.append(a.eventId()).append(',').append(a.bench().instance().id()).append(',')
                    .append(a.bench().webhooks() ? "webhooks" : "polling").append(',').append(a.addedMs()).append(',')
                    .append(arrival == null ? "" : String.valueOf(arrival.receivedMs())).append(',')
                    .append(arrival == null ? "" : String.valueOf(arrival.receivedMs() - a.addedMs())).append('\n');
        }
        Path file = Path.of("target", scale().writeResults() ? "bench-push-latency-events.csv"
                : "bench-push-latency-smoke-events.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    /** The bridge property as resolved in this run, or "n/a" when this build does not define it. */
    private String property(String name) {
        try {
            Optional<String> value = context.getPropertiesComponent().resolveProperty(name);
            return value.orElse("n/a");
        } catch (RuntimeException e) {
            return "n/a";
        }
    }
}

package dev.egnytebridge.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PipelineTestSupport;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scrapes the running bridge's /observe/metrics over HTTP and reads it with a strict parser of Prometheus's text format
 * (0.0.4), checking what {@code promtool check metrics} and Prometheus itself ask of it. The tests that need a bridge
 * without instances run first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeTest extends PipelineTestSupport {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    @Test
    @Order(1)
    void everyDocumentedSeriesWithoutAPerInstanceLabelIsThereFromTheStart() throws Exception {
        Scrape scrape = scrape();
        Map<String, String> documented = documentedBridgeMetrics();
        assertThat(documented).as("bridge_* rows of the metrics table in docs/operations.md").hasSizeGreaterThan(10);
        List<String> missing = new ArrayList<>();
        documented.forEach((name, labels) -> {
            if (!labels.contains("instance_id") && !scrape.families.containsKey(name)) {
                missing.add(name);
            }
        });
        assertThat(missing).as("documented node-wide series absent from a bridge that has no instance yet").isEmpty();
        assertThat(scrape.value("bridge_deliveries", Map.of("status", "pending"))).isEqualTo(0);
        assertThat(scrape.value("bridge_deliveries", Map.of("status", "retrying"))).isEqualTo(0);
        assertThat(scrape.value("bridge_deliveries", Map.of("status", "failed"))).isEqualTo(0);
        assertThat(scrape.value("bridge_pollers_disabled", Map.of())).isEqualTo(0);
        assertThat(scrape.value("bridge_instances_paused", Map.of())).isEqualTo(0);
        assertThat(scrape.value("bridge_poll_lag_seconds_count", Map.of())).isEqualTo(0);
    }

    @Test
    @Order(2)
    void pollLagDeliveryLatencyAndPushToDeliveryAreHistogramsWithBucketsForQuantilesInPromql() throws Exception {
        Scrape scrape = scrape();
        for (String histogram : List.of("bridge_poll_lag_seconds", "bridge_delivery_latency_seconds",
                "bridge_push_to_delivery_seconds")) {
            assertThat(scrape.families.get(histogram)).as(histogram).isNotNull();
            assertThat(scrape.families.get(histogram).type).as(histogram).isEqualTo("histogram");
            List<Sample> buckets = scrape.samples(histogram + "_bucket");
            assertThat(buckets).as(histogram + "_bucket").hasSizeGreaterThan(5);
            assertThat(buckets).allSatisfy(b -> assertThat(b.labels).containsKey("le"));
            assertThat(buckets).anySatisfy(b -> assertThat(b.labels.get("le")).isEqualTo("+Inf"));
        }
    }

    @Test
    @Order(3)
    void everyFamilyHasHelpAndTypeAndEveryNameIsSnakeCaseWithoutALabelNamedInstance() throws Exception {
        Instance instance = createInstance(sink.url("/scrape-cb"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.addEvents(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/scrape-cb").size() == 3);
        // the attempt's outcome is counted once it is stored, a moment after the receiver got it
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().samples("bridge_notifications_total").stream()
                .anyMatch(s -> "sent".equals(s.labels().get("outcome"))));

        Scrape scrape = scrape();
        assertThat(scrape.families).containsKeys("bridge_polls_total", "bridge_objects_fetched_total",
                "bridge_notifications_total", "bridge_instance_lag_seconds");
        List<String> problems = new ArrayList<>();
        scrape.families.forEach((name, family) -> {
            if (!METRIC_NAME.matcher(name).matches()) {
                problems.add("metric name " + name);
            }
            if (family.help == null || family.help.isBlank()) {
                problems.add("no HELP for " + name);
            }
            if (family.type == null) {
                problems.add("no TYPE for " + name);
            }
            // promtool: _count, _sum and _bucket belong to histograms and summaries
            if (family.type != null && !family.type.equals("histogram") && !family.type.equals("summary")
                    && (name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"))) {
                problems.add(family.type + " " + name + " has a histogram's suffix");
            }
        });
        Set<String> labelNames = new TreeSet<>();
        for (Sample sample : scrape.samples) {
            labelNames.addAll(sample.labels.keySet());
        }
        for (String label : labelNames) {
            if (!LABEL_NAME.matcher(label).matches()) {
                problems.add("label name " + label);
            }
        }
        assertThat(problems).isEmpty();
        // Prometheus sets "instance" to the scraped target: a label of that name would come out as exported_instance
        assertThat(labelNames).doesNotContain("instance").contains("instance_id", "route_id");
        // Micrometer's process_cpu_time_ns_total carries an abbreviated unit: the Prometheus name is there instead
        assertThat(scrape.families).doesNotContainKey("process_cpu_time_ns_total").containsKey("process_cpu_seconds_total");
        assertThat(scrape.value("bridge_polls_total", Map.of("instance_id", String.valueOf(instance.id()),
                "outcome", "ok"))).isGreaterThanOrEqualTo(1);
    }

    // --- the scrape, read strictly

    private Scrape scrape() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return Scrape.parse(response.body());
    }

    /** Every `bridge_*` row of the metrics table in docs/operations.md: name to its labels column. */
    private static Map<String, String> documentedBridgeMetrics() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `(bridge_[a-z0-9_]+)` \\|([^|]*)\\|([^|]*)\\|");
        for (String line : Files.readAllLines(Path.of("docs/operations.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                documented.put(m.group(1), m.group(3));
            }
        }
        return documented;
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static final class Family {
        String help;
        String type;
    }

    /** Prometheus text format 0.0.4; anything it does not allow fails the parse. */
    static final class Scrape {
        private static final Pattern HELP = Pattern.compile("# HELP (\\S+) (.*)");
        private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
        private static final Pattern SAMPLE = Pattern.compile("([^{\\s]+)(\\{(.*)})? (\\S+)( -?\\d+)?");
        private static final Pattern LABEL = Pattern.compile("([^=,]+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

        final Map<String, Family> families = new LinkedHashMap<>();
        final List<Sample> samples = new ArrayList<>();

        static Scrape parse(String text) {
            Scrape scrape = new Scrape();
            Set<String> seenTypes = new LinkedHashSet<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    scrape.families.computeIfAbsent(help.group(1), n -> new Family()).help = help.group(2);
                } else if (type.matches()) {
                    assertThat(seenTypes.add(type.group(1))).as("one TYPE line for " + type.group(1)).isTrue();
                    scrape.families.computeIfAbsent(type.group(1), n -> new Family()).type = type.group(2);
                } else if (line.startsWith("#")) {
                    throw new AssertionError("Unexpected comment line: " + line);
                } else {
                    Matcher sample = SAMPLE.matcher(line);
                    assertThat(sample.matches()).as("sample line: " + line).isTrue();
                    Map<String, String> labels = new LinkedHashMap<>();
                    String labelText = sample.group(3) == null ? "" : sample.group(3);
                    Matcher label = LABEL.matcher(labelText);
                    int end = 0;
                    while (label.find() && label.start() == end) {
                        assertThat(labels.put(label.group(1), label.group(2))).as("label repeated: " + line).isNull();
                        end = label.end();
                    }
                    assertThat(end).as("labels of: " + line).isEqualTo(labelText.length());
                    String name = sample.group(1);
                    assertThat(scrape.familyOf(name)).as("TYPE declared before " + line).isNotNull();
                    scrape.samples.add(new Sample(name, labels, Double.parseDouble(sample.group(4)
                            .replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))));
                }
            }
            return scrape;
        }

        /** The family a sample belongs to: its own name, or its name without a histogram or summary suffix. */
        String familyOf(String sampleName) {
            Family own = families.get(sampleName);
            if (own != null && own.type != null) {
                return sampleName;
            }
            for (String suffix : List.of("_bucket", "_count", "_sum")) {
                if (sampleName.endsWith(suffix)) {
                    String base = sampleName.substring(0, sampleName.length() - suffix.length());
                    Family family = families.get(base);
                    if (family != null && ("histogram".equals(family.type) || "summary".equals(family.type))) {
                        return base;
                    }
                }
            }
            return null;
        }

        List<Sample> samples(String name) {
            return samples.stream().filter(s -> s.name.equals(name)).toList();
        }

        /** The value of the first sample of {@code name} with all these labels, or -1. */
        double value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
                    .mapToDouble(Sample::value).findFirst().orElse(-1);
        }
    }
}

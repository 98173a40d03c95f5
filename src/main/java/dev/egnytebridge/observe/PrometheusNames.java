package dev.egnytebridge.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Makes every meter of the scraped registry a name Prometheus tools accept ({@code promtool check metrics}): Camel's
 * tag keys are camelCase ({@code routeId}, {@code camelContext}, {@code eventType}) and become snake_case
 * ({@code route_id}, ...); Micrometer's {@code process.cpu.time} (unit {@code ns}, scraped as
 * {@code process_cpu_time_ns_total}, an abbreviated unit) is left out for {@link ProcessCpuSeconds}; Micrometer's
 * gauge {@code system.cpu.count} becomes {@code system.cpus} (a {@code _count} suffix is reserved for histograms and
 * summaries); a meter without a description gets one, its HELP line.
 */
public class PrometheusNames implements MeterFilter {

    static final String MICROMETER_PROCESS_CPU_TIME = "process.cpu.time";
    static final String MICROMETER_SYSTEM_CPU_COUNT = "system.cpu.count";
    static final String SYSTEM_CPUS = "system.cpus";

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return MICROMETER_PROCESS_CPU_TIME.equals(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    /** HELP for Camel's meters that come without a description (promtool wants HELP on every family). */
    static final Map<String, String> HELP = Map.of(
            "app.info", "the Camel application: Camel version and context",
            "camel.routes.added", "routes added to the Camel context",
            "camel.routes.running", "routes of the Camel context that are running",
            "camel.routes.reloaded", "routes reloaded in the Camel context");

    @Override
    public Meter.Id map(Meter.Id id) {
        if (MICROMETER_SYSTEM_CPU_COUNT.equals(id.getName())) {
            id = id.withName(SYSTEM_CPUS);
        }
        if (id.getDescription() == null || id.getDescription().isBlank()) {
            String help = HELP.getOrDefault(id.getName(), id.getName().replace('.', ' '));
            id = new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
        }
        List<Tag> tags = id.getTags();
        boolean changed = false;
        List<Tag> renamed = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            String key = snakeCase(tag.getKey());
            changed |= !key.equals(tag.getKey());
            renamed.add(Tag.of(key, tag.getValue()));
        }
        return changed ? id.replaceTags(renamed) : id;
    }

    /** {@code routeId} -> {@code route_id}, {@code camelContext} -> {@code camel_context}; snake_case stays. */
    static String snakeCase(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && !Character.isUpperCase(key.charAt(i - 1)) && key.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}

package dev.egnytebridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Collects the scenarios' sections. Each scenario writes its own section under target/; a benchmark run then
 * assembles src/bench/RESULTS.md from the header (machine, date, commit), every section present, in the order of their
 * numbers, and each numbered section of the existing RESULTS.md that none of them replaces, so the file always shows
 * the latest figures of each scenario, also after one benchmark was run alone.
 */
final class BenchResults {

    private static final Path SECTIONS = Path.of("target", "bench-results");
    private static final Path SMOKE_SECTIONS = Path.of("target", "bench-smoke-results");
    static final Path RESULTS = Path.of("src", "bench", "RESULTS.md");
    /** Hand-written findings (profiles, before/after of fixes), appended to RESULTS.md as they are. */
    static final Path FINDINGS = Path.of("src", "bench", "findings.md");

    private BenchResults() {
    }

    /** Stores a scenario's section and, for a real benchmark run, rewrites RESULTS.md. */
    static void publish(BenchScale scale, String fileName, String markdown) {
        try {
            Path dir = scale.writeResults() ? SECTIONS : SMOKE_SECTIONS;
            Files.createDirectories(dir);
            String stamped = markdown + "\n_Measured " + now() + " at commit " + commit() + "._\n";
            Files.writeString(dir.resolve(fileName), stamped, StandardCharsets.UTF_8);
            if (scale.writeResults()) {
                assemble();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assemble() throws IOException {
        StringBuilder out = new StringBuilder(header());
        List<Path> files;
        try (Stream<Path> listed = Files.list(SECTIONS)) {
            files = listed.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        // numbered sections by number: this run's files, and those of the existing RESULTS.md that no file replaces
        // (a benchmark run alone, e.g. -Dtest=PushLatencyBenchmark, keeps the other scenarios' latest figures)
        TreeMap<Integer, String> sections = new TreeMap<>();
        Set<Integer> measured = new HashSet<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<Integer> numbers = sectionNumbers(text);
            measured.addAll(numbers);
            sections.merge(numbers.isEmpty() ? Integer.MAX_VALUE : numbers.get(0), text, (a, b) -> a + "\n" + b);
        }
        if (Files.exists(RESULTS)) {
            String previous = Files.readString(RESULTS, StandardCharsets.UTF_8);
            Matcher heading = Pattern.compile("(?m)^## ").matcher(previous);
            List<Integer> starts = new ArrayList<>();
            while (heading.find()) {
                starts.add(heading.start());
            }
            for (int i = 0; i < starts.size(); i++) {
                String chunk = previous.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : previous.length());
                List<Integer> numbers = sectionNumbers(chunk);
                if (numbers.size() == 1 && !measured.contains(numbers.get(0))) {
                    sections.putIfAbsent(numbers.get(0), chunk.stripTrailing() + "\n");
                }
            }
        }
        for (String section : sections.values()) {
            out.append('\n').append(section);
        }
        if (Files.exists(FINDINGS)) {
            out.append('\n').append(Files.readString(FINDINGS, StandardCharsets.UTF_8));
        }
        Files.createDirectories(RESULTS.getParent());
        Files.writeString(RESULTS, out.toString(), StandardCharsets.UTF_8);
    }

    /** The numbers of the "## N. ..." headings in a piece of the results. */
    private static List<Integer> sectionNumbers(String markdown) {
        List<Integer> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^## (\\d+)\\. ").matcher(markdown);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private static String header() {
        return "# Benchmark results\n\n"
                + "Written by `mvn -B -Pbench verify` (how to run it and what each scenario measures: \"Running the benchmarks\", "
                + "after the scenarios). Figures are **median (min–max, n=runs)**; "
                + "targets are ratios measured side by side in the same run, because absolute figures depend on the machine "
                + "and on what else runs on it.\n\n"
                + "| | |\n| --- | --- |\n"
                + "| machine | " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + memTotal() + " memory, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " |\n"
                + "| JDK | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " |\n"
                + "| assembled | " + now() + " |\n"
                + "| commit | " + commit() + " (each section names the commit it was measured at) |\n\n"
                + "**Noise:** absolute numbers depend on what else runs on this 2-core machine; the same-run ratios less so.\n";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    /** HEAD's short hash, with "+changes" when the work tree differs from it. */
    static String commit() {
        String head = git("rev-parse", "--short", "HEAD");
        String dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src/main", "routes", "pom.xml");
        return head == null ? "unknown" : head + (dirty != null && !dirty.isBlank() ? "+changes" : "");
    }

    private static String git(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

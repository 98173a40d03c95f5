package dev.egnytebridge.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * application.properties is the one home of every default: docs/configuration.md lists exactly its keys with the same
 * defaults, and the routes read the bridge's keys without a default of their own.
 */
class ConfigurationReferenceTest {

    /** A table row: | `key` | `default` or (empty) | meaning | */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(`([^`]*)`|\\(empty\\))\\s*\\|");
    /** A placeholder of the bridge's own keys, with or without a default after the colon. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{((?:bridge|egnyte)\\.[^}:]+)(:[^}]*)?}}");

    @Test
    void theConfigurationReferenceListsExactlyTheKeysAndDefaultsOfApplicationProperties() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String previous = documented.put(row.group(1), row.group(3) == null ? "" : row.group(3));
                assertThat(previous).as("%s is listed once", row.group(1)).isNull();
            }
        }
        assertThat(documented).isEqualTo(defaults());
    }

    @Test
    void theRoutesReadTheBridgesKeysWithoutADefaultOfTheirOwn() throws IOException {
        Map<String, String> defaults = defaults();
        TreeSet<String> withDefault = new TreeSet<>();
        TreeSet<String> unknown = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Matcher placeholder = PLACEHOLDER.matcher(Files.readString(route));
                while (placeholder.find()) {
                    if (placeholder.group(2) != null) {
                        withDefault.add(route.getFileName() + ": " + placeholder.group());
                    }
                    if (!defaults.containsKey(placeholder.group(1))) {
                        unknown.add(route.getFileName() + ": " + placeholder.group(1));
                    }
                }
            }
        }
        assertThat(withDefault).as("placeholders with a second default").isEmpty();
        assertThat(unknown).as("keys application.properties does not set").isEmpty();
    }

    private static Map<String, String> defaults() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        }
        Map<String, String> defaults = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> defaults.put(key, properties.getProperty(key).trim()));
        return defaults;
    }
}

package dev.egnytebridge.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directions the REST plumbing keeps: every API package may use {@code api}, so {@code api} uses none of the
 * bridge's packages; {@code security} does not need the instance store (it did, which made a cycle with instance).
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/egnytebridge");
    private static final Pattern OUR_IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.egnytebridge\\.([A-Za-z]+)");

    @Test
    void apiUsesNoOtherPackageOfTheBridge() throws IOException {
        assertThat(packagesUsedBy("api")).isEmpty();
    }

    @Test
    void securityDoesNotUseTheInstancePackage() throws IOException {
        assertThat(packagesUsedBy("security")).doesNotContain("instance");
    }

    /** The packages (or "root") the sources of {@code pkg} import, itself left out. */
    private static Set<String> packagesUsedBy(String pkg) throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = OUR_IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String first = m.group(1);
                    used.add(Character.isUpperCase(first.charAt(0)) ? "root" : first);
                }
            }
        }
        used.remove(pkg);
        return used;
    }
}

package dev.egnytebridge.security;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import dev.egnytebridge.instance.CapturedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SecretsBootstrapTest {

    @TempDir
    Path dataDir;

    private static java.util.function.Function<String, Optional<String>> configured(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void generatesUnsetSecretsIntoAnOwnerOnlyFileAndLogsThemOnce() throws Exception {
        SecurityCredentials first;
        String firstLog;
        try (CapturedLog log = new CapturedLog()) {
            first = SecretsBootstrap.resolve(configured(Map.of()), dataDir);
            firstLog = log.text();
        }
        Path file = dataDir.resolve(SecretsBootstrap.FILE_NAME);
        assertThat(file).exists();
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(first.users()).containsOnlyKeys("admin");
        assertThat(first.organizationSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.users().get("admin")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(Base64.getDecoder().decode(first.encryptionKey())).hasSize(32);
        // the documented exception: the API credentials are shown once, at first start; the key never
        assertThat(firstLog).contains("ONLY TIME", first.organizationSecret(), first.users().get("admin"))
                .doesNotContain(first.encryptionKey());

        SecurityCredentials second;
        String secondLog;
        try (CapturedLog log = new CapturedLog()) {
            second = SecretsBootstrap.resolve(configured(Map.of()), dataDir);
            secondLog = log.text();
        }
        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        assertThat(secondLog).contains(file.toAbsolutePath().toString())
                .doesNotContain(first.organizationSecret(), first.users().get("admin"), first.encryptionKey());
    }

    @Test
    void configuredValuesWinAndAreNeverWrittenToTheFile() throws Exception {
        Map<String, String> values = Map.of(SecretsBootstrap.ORGANIZATION_SECRET, "org-configured-123",
                SecretsBootstrap.USERS, "carol=carol-secret-1, dave=dave-secret-2");
        SecurityCredentials credentials;
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            credentials = SecretsBootstrap.resolve(configured(values), dataDir);
            log = captured.text();
        }
        assertThat(credentials.organizationSecret()).isEqualTo("org-configured-123");
        assertThat(credentials.users()).containsExactlyInAnyOrderEntriesOf(Map.of("carol", "carol-secret-1", "dave", "dave-secret-2"));
        Properties stored = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve(SecretsBootstrap.FILE_NAME))) {
            stored.load(reader);
        }
        assertThat(stored.stringPropertyNames()).containsExactly(SecretsBootstrap.ENCRYPTION_KEY);
        assertThat(log).doesNotContain("org-configured-123", "carol-secret-1", "dave-secret-2");
    }

    @Test
    void writesNoFileWhenEverythingIsConfigured() {
        SecretsBootstrap.resolve(configured(Map.of(SecretsBootstrap.ORGANIZATION_SECRET, "o-123456",
                SecretsBootstrap.USERS, "erin=e-123456", SecretsBootstrap.ENCRYPTION_KEY, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")), dataDir);
        assertThat(dataDir.resolve(SecretsBootstrap.FILE_NAME)).doesNotExist();
    }

    @Test
    void tightensTheFileWhenItsPermissionsWereLoosened() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        SecretsBootstrap.resolve(configured(Map.of()), dataDir);
        Path file = dataDir.resolve(SecretsBootstrap.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretsBootstrap.resolve(configured(Map.of()), dataDir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void malformedUsersFailWithoutShowingASecret() {
        for (String users : new String[] {"frank", "=s3cr3t-value", "frank=", "fr ank=s3cr3t-value", "frank=s3cr3t-value,frank=s3cr3t-value"}) {
            assertThatThrownBy(() -> SecretsBootstrap.parseUsers(users))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(SecretsBootstrap.USERS)
                    .hasMessageNotContaining("s3cr3t-value");
        }
    }
}

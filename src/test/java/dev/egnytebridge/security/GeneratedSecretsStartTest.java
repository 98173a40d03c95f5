package dev.egnytebridge.security;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge started with no organization secret, users or encryption key configured. */
class GeneratedSecretsStartTest extends InstanceApiTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.remove(SecretsBootstrap.ORGANIZATION_SECRET);
        p.remove(SecretsBootstrap.USERS);
        p.remove(SecretsBootstrap.ENCRYPTION_KEY);
        return p;
    }

    private Properties generated() throws Exception {
        Properties stored = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve(SecretsBootstrap.FILE_NAME))) {
            stored.load(reader);
        }
        return stored;
    }

    @Test
    void generatesCredentialsIntoAnOwnerOnlyFileThatTheApiAccepts() throws Exception {
        Path file = dataDir.resolve(SecretsBootstrap.FILE_NAME);
        assertThat(file).exists();
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        Properties stored = generated();
        assertThat(stored.stringPropertyNames()).containsExactlyInAnyOrder(SecretsBootstrap.ORGANIZATION_SECRET,
                SecretsBootstrap.USERS, SecretsBootstrap.ENCRYPTION_KEY);
        String userSecret = stored.getProperty(SecretsBootstrap.USERS).substring("admin=".length());
        String authorization = "User " + userSecret + ", Organization " + stored.getProperty(SecretsBootstrap.ORGANIZATION_SECRET);

        assertThat(get("/instances", authorization).statusCode()).isEqualTo(200);
        assertThat(get("/instances", ALICE).statusCode()).isEqualTo(401);
        // instance secrets are encrypted with the generated key
        assertThat(create(authorization, seed("code-with-generated-key")).statusCode()).isEqualTo(200);
    }

    @Test
    void logsTheGeneratedApiCredentialsOnceButNeverTheEncryptionKey() throws Exception {
        Properties stored = generated();
        String text = log.text();
        assertThat(text).contains("ONLY TIME THE BRIDGE LOGS SECRETS", stored.getProperty(SecretsBootstrap.ORGANIZATION_SECRET))
                .doesNotContain(stored.getProperty(SecretsBootstrap.ENCRYPTION_KEY));
        assertThat(text.split(java.util.regex.Pattern.quote(stored.getProperty(SecretsBootstrap.ORGANIZATION_SECRET)), -1))
                .as("the organization secret appears in exactly one log line").hasSize(2);
    }
}

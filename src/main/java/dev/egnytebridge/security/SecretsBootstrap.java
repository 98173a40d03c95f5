package dev.egnytebridge.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the organization secret, the users and the encryption key. A configured property always wins; a value left
 * unset is read from the generated-secrets file in the data folder or, at first start, generated into it (the file is
 * readable by its owner only). Generated API credentials are logged once, when they are generated, because nobody
 * could call the API otherwise; later starts only say where the file is.
 */
public final class SecretsBootstrap {

    public static final String ORGANIZATION_SECRET = "bridge.security.organization-secret";
    public static final String USERS = "bridge.security.users";
    public static final String ENCRYPTION_KEY = "bridge.security.encryption-key";
    public static final String FILE_NAME = "generated-secrets.properties";
    /** The user created when {@code bridge.security.users} is unset. */
    public static final String GENERATED_USER = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(SecretsBootstrap.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretsBootstrap() {
    }

    /**
     * @param configured the configured value of a property, or empty when unset
     * @param dataDir    the folder of the generated-secrets file
     */
    public static SecurityCredentials resolve(Function<String, Optional<String>> configured, Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties stored = read(file);
        Map<String, String> generated = new LinkedHashMap<>();
        String org = value(ORGANIZATION_SECRET, configured, stored, generated, () -> Tokens.random(32));
        String users = value(USERS, configured, stored, generated, () -> GENERATED_USER + "=" + Tokens.random(32));
        String key = value(ENCRYPTION_KEY, configured, stored, generated, SecretsBootstrap::newEncryptionKey);
        if (!generated.isEmpty()) {
            generated.forEach(stored::setProperty);
            write(file, stored);
            logGenerated(file, generated);
        } else if (!stored.isEmpty()) {
            restrictToOwner(file);
            LOG.info("Using the generated secrets stored in {} for the properties left unset: {}", file.toAbsolutePath(),
                    stored.stringPropertyNames());
        }
        return new SecurityCredentials(org, parseUsers(users), key);
    }

    private static String value(String name, Function<String, Optional<String>> configured, Properties stored,
                                Map<String, String> generated, Supplier<String> generator) {
        Optional<String> value = configured.apply(name);
        if (value.isPresent()) {
            return value.get();
        }
        String fromFile = stored.getProperty(name);
        if (fromFile != null && !fromFile.isBlank()) {
            return fromFile.trim();
        }
        String fresh = generator.get();
        generated.put(name, fresh);
        return fresh;
    }

    /** An AES-256 key as {@link SecretCipher#fromBase64} reads it: base64 of 32 random bytes. */
    private static String newEncryptionKey() {
        return Base64.getEncoder().encodeToString(Tokens.randomBytes(32));
    }

    /** Parses {@code name=secret,name=secret}; the error never shows a secret. */
    static Map<String, String> parseUsers(String users) {
        Map<String, String> parsed = new LinkedHashMap<>();
        int position = 0;
        for (String pair : users.split(",")) {
            position++;
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            String secret = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (name.isEmpty() || secret.isEmpty()) {
                throw new IllegalStateException(USERS + ": entry " + position + " is not name=secret");
            }
            if (!name.matches("[A-Za-z0-9._@-]{1,200}")) {
                throw new IllegalStateException(USERS + ": user name in entry " + position
                        + " may use letters, digits and . _ @ - only (200 at most)");
            }
            if (parsed.putIfAbsent(name, secret) != null) {
                throw new IllegalStateException(USERS + ": user " + name + " is listed twice");
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalStateException(USERS + " names no user");
        }
        return parsed;
    }

    private static void logGenerated(Path file, Map<String, String> generated) {
        StringBuilder shown = new StringBuilder();
        generated.forEach((name, value) -> {
            // the encryption key is never needed to call the API: it stays in the file only
            if (!name.equals(ENCRYPTION_KEY)) {
                shown.append(System.lineSeparator()).append("    ").append(name).append(" = ").append(value);
            }
        });
        if (generated.containsKey(ENCRYPTION_KEY)) {
            shown.append(System.lineSeparator()).append("    ").append(ENCRYPTION_KEY).append(" = (in the file only)");
        }
        LOG.warn("First start: generated the secrets left unset and stored them in {} (readable by its owner only). "
                        + "THIS IS THE ONLY TIME THE BRIDGE LOGS SECRETS; later starts read them from that file:{}",
                file.toAbsolutePath(), shown);
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the generated secrets in " + file, e);
            }
        }
        return properties;
    }

    /** Writes a new file with owner-only permissions from its creation, then moves it into place. */
    private static void write(Path file, Properties properties) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(temp);
            if (posix()) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(temp);
                restrictToOwner(temp);
            }
            try (Writer writer = Files.newBufferedWriter(temp)) {
                properties.store(writer, "Secrets generated by the Egnyte Events Bridge at first start. Keep this file private; "
                        + "setting a property in application.properties overrides the value here.");
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            restrictToOwner(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated secrets to " + file, e);
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            if (posix()) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            } else {
                var f = file.toFile();
                f.setReadable(false, false);
                f.setWritable(false, false);
                f.setReadable(true, true);
                f.setWritable(true, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions of " + file, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

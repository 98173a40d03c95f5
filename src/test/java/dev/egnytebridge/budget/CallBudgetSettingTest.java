package dev.egnytebridge.budget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.egnytebridge.BridgeConfiguration;
import dev.egnytebridge.BridgeTestSupport;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A daily call budget that is not a whole number of at least 0 stops the bridge from starting, and says which key. */
class CallBudgetSettingTest {

    @Test
    void aBudgetThatIsNotANumberFailsStartUpNamingTheProperty() throws Exception {
        assertStartFails("lots", "egnyte.rate-limit.calls-per-day must be a whole number, was 'lots'");
    }

    @Test
    void aNegativeBudgetFailsStartUpNamingTheProperty() throws Exception {
        assertStartFails("-1", "egnyte.rate-limit.calls-per-day must be at least 0, was -1");
    }

    private static void assertStartFails(String budget, String message) throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-budget-setting");
        Main main = new Main();
        BridgeConfiguration.addTo(main.configure());
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        Properties p = new Properties();
        p.setProperty("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.setProperty("camel.server.host", "127.0.0.1");
        p.setProperty("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.setProperty("camel.management.host", "127.0.0.1");
        p.setProperty("bridge.data-dir", dataDir.toString());
        p.setProperty("bridge.datasource.url", "jdbc:h2:file:" + dataDir.resolve("bridge"));
        p.setProperty("bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY);
        p.setProperty("egnyte.rate-limit.calls-per-day", budget);
        main.setOverrideProperties(p);
        try {
            assertThatThrownBy(main::start).hasStackTraceContaining(message);
        } finally {
            main.stop();
        }
    }
}

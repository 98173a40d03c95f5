package dev.egnytebridge.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through chromedriver, both Debian's packages at fixed paths. The driver's path is set
 * explicitly, so Selenium Manager never runs and nothing is ever downloaded. Without the packages the calling test
 * class is skipped with the command that installs them.
 */
final class BrowserSession implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("bridge.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("bridge.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Dimension DESKTOP = new Dimension(1280, 1000);
    static final Dimension PHONE = new Dimension(390, 844);

    private final Path profile;
    private final ChromeDriver driver;

    private BrowserSession(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts the browser, or aborts the calling test class (a JUnit assumption) when it is not installed. */
    static BrowserSession start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed. Install them with "
                        + "`apt-get install -y chromium chromium-driver` (as root, after apt-get update).");
        Path profile;
        try {
            profile = Files.createTempDirectory("bridge-ui-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new BrowserSession(profile, driver);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The element once it is on the page and shown. */
    WebElement visible(By by) {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElement(by), WebElement::isDisplayed);
    }

    WebElement visible(String id) {
        return visible(By.id(id));
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Replaces an input's text, as typing would. */
    void type(String id, String text) {
        WebElement input = visible(id);
        input.clear();
        input.sendKeys(text);
    }

    /** Picks an option of a select by its value, as a person choosing it would (the page hears a change). */
    void choose(String id, String value) {
        script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", visible(id), value);
    }

    void click(String id) {
        visible(id).click();
    }

    /** The visible text of the page's main area. */
    String mainText() {
        return driver.findElement(By.id("main")).getText();
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** The WCAG 2.1 A and AA rules of axe-core, which every screen of the page must pass. */
    static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    /** Runs axe-core's WCAG 2.1 AA rules on the screen as it is now; fails with each violation and where it is. */
    void assertAccessible(String screen) {
        Results results = new AxeBuilder().withTags(WCAG_21_AA).analyze(driver);
        List<String> violations = results.getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at " + rule.getNodes().stream()
                        .map(node -> String.valueOf(node.getTarget())).toList())
                .toList();
        org.assertj.core.api.Assertions.assertThat(results.getPasses()).as("axe-core ran its rules on " + screen).isNotEmpty();
        org.assertj.core.api.Assertions.assertThat(violations).as("axe-core WCAG 2.1 AA violations on " + screen).isEmpty();
    }

    /** Checks the screen with axe-core ({@link #assertAccessible}), then saves target/screenshots/{name}.png. */
    Path screenshot(String name) {
        assertAccessible(name);
        return picture(name);
    }

    /** Saves target/screenshots/{name}.png and returns its path. */
    Path picture(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}

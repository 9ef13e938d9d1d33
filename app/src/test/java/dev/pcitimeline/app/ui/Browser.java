package dev.pcitimeline.app.ui;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium driven through its chromedriver, with a fresh profile and a 1280x800 viewport.
 * Nothing is downloaded: the driver and browser are the system's ({@code apt-get install chromium
 * chromium-driver}; {@code .ci/run} installs them). When they are missing the tests fail, saying so, unless
 * {@code -Dpcitimeline.ui-tests=off} turns them off.
 */
final class Browser implements AutoCloseable {
    static final String SWITCH = "pcitimeline.ui-tests";
    static final int WIDTH = 1280;
    static final int HEIGHT = 800;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final WebDriver driver;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Aborts (skips) when the browser tests are switched off; fails, saying what to install, when Chromium or
     * its driver is missing. Called before the service starts, so neither case costs a Spring context.
     */
    static void requireAvailable() {
        Assumptions.assumeFalse("off".equalsIgnoreCase(System.getProperty(SWITCH, "")),
                "browser tests switched off with -D" + SWITCH + "=off");
        for (Path p : List.of(chromium(), chromedriver())) {
            if (!Files.isExecutable(p)) {
                Assertions.fail(p + " is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get update && apt-get install -y chromium chromium-driver; .ci/run installs them)."
                        + " Run with -D" + SWITCH + "=off to skip them.");
            }
        }
    }

    private static Path chromium() {
        return Path.of(System.getProperty("pcitimeline.chromium", "/usr/bin/chromium"));
    }

    private static Path chromedriver() {
        return Path.of(System.getProperty("pcitimeline.chromedriver", "/usr/bin/chromedriver"));
    }

    /** Starts Chromium, after {@link #requireAvailable()}. */
    static Browser start() {
        requireAvailable();
        Path chromium = chromium();
        Path chromedriver = chromedriver();
        Path profile;
        try {
            profile = Files.createTempDirectory("pci-timeline-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + WIDTH + "," + HEIGHT);
        // The driver executable is given, so Selenium Manager (which would download one) never runs.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Browser browser = new Browser(driver, profile);
        browser.viewport(WIDTH, HEIGHT);
        return browser;
    }

    /** Sizes the window so the page itself (the viewport) is w x h. */
    void viewport(int w, int h) {
        driver.manage().window().setSize(new Dimension(w, h));
        for (int i = 0; i < 3; i++) {
            List<?> inner = (List<?>) ((JavascriptExecutor) driver)
                    .executeScript("return [window.innerWidth, window.innerHeight];");
            int iw = ((Number) inner.get(0)).intValue();
            int ih = ((Number) inner.get(1)).intValue();
            if (iw == w && ih == h) {
                return;
            }
            Dimension size = driver.manage().window().getSize();
            driver.manage().window().setSize(new Dimension(size.width + (w - iw), size.height + (h - ih)));
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves what the page shows now as target/screenshots/NAME.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
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
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a profile left in /tmp is harmless
        }
    }
}

package io.aiotedge.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (Selenium; nothing is
 * downloaded: both executables are given, so Selenium Manager never runs). The flags are the
 * machine's (docs/console.md): no background networking on a closed network, a fresh profile in
 * the test's temp dir. Screenshots go to {@code target/console/}, and to {@code docs/console/}
 * only with {@code -Dconsole.screenshots.write=true}.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Whether Debian's chromium and chromedriver are installed (.ci/run installs them). */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Skips the test (with the reason) when Debian's chromium or chromedriver is not installed. */
    public static Browser start(Path tmp) throws IOException {
        assumeTrue(available(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Path profile = Files.createTempDirectory(tmp, "chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(profile.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.resolve("profile"), "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service.start();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return new Browser(service, driver);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The first element matching {@code css}, once it is visible (within {@code within}). */
    public WebElement await(String css, Duration within) {
        return new WebDriverWait(driver, within)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs {@code script} in the page; it calls {@code arguments[arguments.length - 1]} with its result. */
    public Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * A fetch from the page (its cookie, its origin) answering {@code "<status> <body>"}; {@code csrf}
     * null sends no CSRF header.
     */
    public String fetch(String method, String path, String body, String csrf) {
        return String.valueOf(jsAsync("const done = arguments[arguments.length - 1];"
                + "const h = {'Content-Type': 'application/json'}; if (arguments[3]) h['X-CSRF-Token'] = arguments[3];"
                + "fetch(arguments[1], {method: arguments[0], headers: h, body: arguments[2] || undefined,"
                + " credentials: 'same-origin'}).then(async r => done(r.status + ' ' + await r.text()),"
                + " e => done('error ' + e));", method, path, body, csrf));
    }

    /** The page's console errors so far (CSP violations, uncaught exceptions). */
    public List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    /** Saves the page as {@code target/console/<name>.png} (and under docs/console/ when asked to). */
    public Path screenshot(String name) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Path out = Path.of("target/console", name + ".png");
            Files.createDirectories(out.getParent());
            Files.write(out, png);
            if (Boolean.getBoolean("console.screenshots.write")) {
                Path doc = Path.of("docs/console", name + ".png");
                Files.createDirectories(doc.getParent());
                Files.write(doc, png);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}

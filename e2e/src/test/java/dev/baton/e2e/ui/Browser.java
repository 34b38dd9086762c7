package dev.baton.e2e.ui;

import dev.baton.testsupport.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver ({@code apt-get install chromium chromium-driver};
 * {@code .ci/run} installs both). Where they are missing the test class is skipped, saying so. Waits poll the
 * page against a deadline; nothing sleeps.
 */
final class Browser implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final List<String> console = new java.util.ArrayList<>();

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts Chromium, or skips the calling test class (loudly) when it or its driver is not installed. */
  static Browser start(int width, int height) {
    Optional<Path> chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst();
    String missing = chromium.isEmpty() ? "chromium" : !Files.isExecutable(DRIVER) ? "chromedriver" : null;
    if (missing != null) {
      System.out.println("\n==== SKIPPED: the dashboard's browser tests need Debian's chromium and chromium-driver ("
          + missing + " is missing): apt-get install chromium chromium-driver\n");
    }
    Assumptions.assumeTrue(missing == null, "the dashboard's browser tests need " + missing
        + " (apt-get install chromium chromium-driver)");
    ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1");
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  void open(String url) {
    driver.get(url);
  }

  /** Resizes the viewport (not the window) to width x height CSS pixels. */
  void viewport(int width, int height) {
    Object chrome = script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];");
    List<?> extra = (List<?>) chrome;
    driver.manage().window().setSize(new Dimension(width + ((Number) extra.get(0)).intValue(),
        height + ((Number) extra.get(1)).intValue()));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** The first element matching {@code css}, once it is there and displayed. */
  WebElement await(String css) {
    return Poll.value(WAIT, () -> driver.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed)
        .findFirst().orElse(null), css + " on the page");
  }

  /** Waits until {@code check} holds, re-reading the page each time. */
  void until(String what, Supplier<Boolean> check) {
    Poll.until(WAIT, () -> Boolean.TRUE.equals(check.get()), what);
  }

  Optional<WebElement> find(String css) {
    return driver.findElements(By.cssSelector(css)).stream().findFirst();
  }

  /** The text of the first element matching {@code css}, read in one step in the page (it re-renders live). */
  String text(String css) {
    Object text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
    return text == null ? "" : text.toString();
  }

  /** An attribute of the first element matching {@code css}, or null; read in one step in the page. */
  String attribute(String css, String name) {
    Object value = script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
        css, name);
    return value == null ? null : value.toString();
  }

  /** Clicks the element once it is there, again if the page replaced it in between (a live page re-renders). */
  void click(String css) {
    Poll.until(WAIT, () -> {
      try {
        await(css).click();
        return true;
      } catch (StaleElementReferenceException | ElementClickInterceptedException e) {
        return false;
      }
    }, "to click " + css);
  }

  void type(String css, String text) {
    WebElement e = await(css);
    e.clear();
    e.sendKeys(text);
  }

  byte[] screenshot() {
    return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
  }

  /** Keeps what the page showed and logged under target/ui-failures/, to see why a test failed. */
  void dump(String name) {
    keep("ui-failures", name);
  }

  /** Keeps a screenshot, the page's HTML and its console under target/{@code folder}/. */
  void keep(String folder, String name) {
    try {
      Path dir = Path.of("target", folder);
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), screenshot());
      Files.writeString(dir.resolve(name + ".html"), driver.getPageSource());
      StringBuilder log = new StringBuilder();
      console().forEach(line -> log.append(line).append('\n'));
      Files.writeString(dir.resolve(name + ".console.txt"), log);
      System.out.println("the page at " + name + ": " + dir.toAbsolutePath() + (log.isEmpty() ? "" : "\n" + log));
    } catch (Exception e) {
      System.out.println("could not keep the page of " + name + ": " + e);
    }
  }

  /** Every line the page logged to its console since the browser started (the driver hands each out once). */
  synchronized List<String> console() {
    driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)
        .forEach(e -> console.add(e.getLevel() + " " + e.getMessage()));
    return List.copyOf(console);
  }

  @Override
  public void close() {
    driver.quit();
  }
}

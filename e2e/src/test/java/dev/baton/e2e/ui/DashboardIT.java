package dev.baton.e2e.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.load.Load;
import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The dashboard (README "Dashboard") in headless Chromium against the whole stack with load through the gateway:
 * a wrong token is refused with a clear message, a canary's weight and its traffic per version move on the page
 * as the release runs, promote from the page moves the release (refused first with the read token), and a
 * phone-width screen never scrolls sideways. One stack and one browser for the class; the tests run in order,
 * each starting where the previous one left the app. Saves a screenshot mid-canary to e2e/target/dashboard.png
 * ({@code -Dbaton.screenshot=docs}: to docs/img/dashboard.png, the README's picture).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

  private static final String APP = "shop";
  /** Where the README's picture is refreshed from, by hand: {@code -Dbaton.screenshot=docs}. */
  private static final Path SCREENSHOT = "docs".equals(System.getProperty("baton.screenshot"))
      ? Repo.path("docs/img/dashboard.png") : Repo.path("e2e/target/dashboard.png");
  private static Stack stack;
  private static Vertx vertx;
  private static Browser browser;
  private static Load load;
  private static String ui;
  private static String releaseId;

  @RegisterExtension
  final TestWatcher keepThePage = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (browser != null) {
        browser.dump(context.getRequiredTestMethod().getName());
      }
    }
  };

  @BeforeAll
  static void start() {
    browser = Browser.start(1280, 1000);
    stack = StackUnderTest.start();
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0", "2.0.0").app(2, Map.of()).serving("1.0.0");
    load = Load.start(vertx, stack.gateway().httpPort(), "ui", new Load.Profile(40, 0, 0, 0, 0, 1000, 10),
        Duration.ofMinutes(4));
    ui = stack.registry().url() + "/ui/";
  }

  @AfterAll
  static void stop() {
    try {
      if (load != null) {
        load.close();
        long failed = load.samples().stream().filter(s -> s.status() != 200).count();
        System.out.println("load through the gateway: " + load.samples().size() + " requests, " + failed + " not 200");
      }
      if (browser != null) {
        browser.close();
      }
      if (vertx != null) {
        vertx.close().await();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedWithAClearMessageAndNothingLoads() {
    browser.open(ui);
    browser.type("#token", "not-a-token");
    browser.click("#signin-submit");
    browser.until("the refusal to show", () -> browser.text("#signin-error").contains("refused"));
    assertThat(browser.text("#signin-error")).contains("401").contains("Nothing was loaded or changed");
    assertThat(browser.find("#apps")).as("no app shown").isEmpty();
    assertThat(browser.script("return sessionStorage.getItem('baton.token')")).as("a refused token is not kept").isNull();
  }

  @Test
  @Order(2)
  void theReadTokenShowsEveryAppWithItsSplitAndInstances() {
    browser.type("#token", stack.tokens().read());
    browser.click("#signin-submit");
    browser.await(".app-card[data-app='shop']");
    browser.until("shop to show 2/2 passing and 100% to 1.0.0", () ->
        browser.text(".app-card[data-app='shop']").contains("2/2 passing")
            && "100".equals(browser.attribute(".app-card[data-app='shop'] .split-seg[data-version='1.0.0']", "data-weight")));
  }

  @Test
  @Order(3)
  void theAppPageFollowsACanaryLiveItsWeightAndItsTraffic() throws Exception {
    browser.click(".app-card[data-app='shop']");
    browser.await("#release-none");
    browser.until("1.0.0's traffic on the page", () -> rps("1.0.0") > 0);
    releaseId = registry().post("/v1/apps/" + APP + "/releases", new JsonObject().put("version", "2.0.0")
        .put("strategy", new JsonObject("{\"type\":\"canary\",\"steps\":[{\"weight\":25,\"pause\":\"manual\"},"
            + "{\"weight\":75,\"pause\":\"manual\"},{\"weight\":100}],\"analysis\":{\"intervalSeconds\":5,"
            + "\"minRequests\":5,\"maxErrorRate\":0.05,\"maxP99Ratio\":1000,\"failureLimit\":100,\"warmupSeconds\":2}}")))
        .ok("start the canary").json().getString("id");
    long started = System.nanoTime();
    // No reload from here on: the page follows the release over its streams.
    browser.until("the route to give 2.0.0 its 25%", () -> routeWeight("2.0.0") == 25);
    browser.until("the page to show 2.0.0's requests", () -> rps("2.0.0") > 0);
    System.out.printf("the page showed 2.0.0 at 25%% with traffic %.1f s after the release started%n",
        (System.nanoTime() - started) / 1e9);
    assertThat(browser.text("#release-id")).contains(releaseId);
    assertThat(browser.text("#release-steps .step-current")).contains("25%").contains("wait for promote");
    browser.until("about a quarter of the requests on 2.0.0", () -> share("2.0.0") > 10 && share("2.0.0") < 45);
    browser.viewport(1280, 1080);
    browser.until("the instances to be in view", () -> browser.find("#instances tbody tr").isPresent());
    assertThat(browser.text("#instances thead")).containsIgnoringCase("in flight");
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, browser.screenshot());
    browser.viewport(1280, 900);
    System.out.printf("screenshot mid-canary: %s (%d bytes); share of 2.0.0 over 10 s: %.1f%%%n", SCREENSHOT,
        Files.size(SCREENSHOT), share("2.0.0"));
  }

  @Test
  @Order(4)
  void promoteWithTheReadTokenIsRefusedAndChangesNothing() {
    browser.click("#op-promote");
    browser.await("#confirm[open]");
    assertThat(browser.text("#confirm-text")).contains(APP).contains(releaseId).contains("1.0.0").contains("2.0.0");
    browser.click("#confirm-ok");
    browser.until("the refusal to show", () -> browser.text("#notice").contains("403"));
    assertThat(browser.text("#notice")).contains("operator token").contains("Nothing was changed");
    JsonObject r = registry().get("/v1/releases/" + releaseId).ok("GET release").json();
    assertThat(r.getInteger("step")).as("still at its first step").isZero();
    assertThat(r.getString("phase")).isEqualTo("PAUSED");
  }

  @Test
  @Order(5)
  void promoteWithTheOperatorTokenMovesTheReleaseOnThePage() {
    browser.until("the analysis verdict of a window on the page", () -> browser.find("#release .analysis .verdict")
        .map(v -> v.getText().startsWith("passed")).orElse(false));
    browser.click("#use-operator-token");
    browser.type("#token", stack.tokens().operator());
    browser.click("#signin-submit");
    browser.await("#op-promote:not([disabled])");
    browser.click("#op-promote");
    browser.await("#confirm[open]");
    browser.click("#confirm-ok");
    browser.until("the route to give 2.0.0 its 75%", () -> routeWeight("2.0.0") == 75);
    assertThat(registry().get("/v1/releases/" + releaseId).ok("GET release").json().getInteger("step")).isEqualTo(1);
    browser.until("the second step to be the current one", () ->
        browser.text("#release-steps .step-current").contains("75%"));
    browser.click("#op-promote:not([disabled])");
    browser.await("#confirm[open]");
    browser.click("#confirm-ok");
    Poll.until(Duration.ofSeconds(150), () -> "SUCCEEDED".equals(
        registry().get("/v1/releases/" + releaseId).ok("GET release").json().getString("phase")), "the release to end");
    browser.until("the page to show no release and the history to have it", () -> browser.find("#release-none").isPresent()
        && browser.find("#release-history details[data-release='" + releaseId + "']").isPresent()
        && routeWeight("2.0.0") == 100);
    assertThat(browser.text("#release-history details[data-release='" + releaseId + "'] summary")).contains("SUCCEEDED");
    browser.click("#release-history details[data-release='" + releaseId + "'] summary");
    browser.viewport(1280, 1900);
    browser.keep("ui-pages", "app-after-release");
    long failed = load.samples().stream().filter(s -> s.status() != 200).count();
    assertThat(failed).as("no request failed through the whole canary").isZero();
  }

  @Test
  @Order(6)
  void aPhoneWidthScreenNeverScrollsSideways() {
    browser.viewport(375, 812);
    for (String page : new String[] {ui + "#/", ui + "#/apps/" + APP}) {
      browser.open(page);
      browser.await(page.endsWith("#/") ? ".app-card" : "#instances tbody tr");
      browser.until("the page to settle", () -> browser.find(".chart").isPresent() || page.endsWith("#/"));
      Object widths = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];");
      System.out.println("at 375 px, " + page + ": [scrollWidth, innerWidth] = " + widths);
      browser.keep("ui-pages", "phone-" + (page.endsWith("#/") ? "apps" : "app"));
      assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
          .as("no horizontal scroll on " + page + ": " + widths).isEqualTo(true);
    }
  }

  @Test
  @Order(7)
  void thePageBrokeNoRuleOfItsContentSecurityPolicyAndThrewNothing() {
    // Refused calls (401, 403) are logged by the browser too; they were the point of the tests above.
    assertThat(browser.console()).noneMatch(line -> line.contains("Content Security Policy")
        || line.contains("Uncaught") || line.contains("Error:") && !line.contains("Failed to load resource"));
  }

  private static Http registry() {
    return stack.registry().http();
  }

  private static double routeWeight(String version) {
    String v = browser.attribute("#route .split-seg[data-version='" + version + "']", "data-weight");
    return v == null ? 0 : Double.parseDouble(v);
  }

  private static double rps(String version) {
    String v = browser.attribute(".traffic-row[data-version='" + version + "']", "data-rps");
    return v == null ? 0 : Double.parseDouble(v);
  }

  private static double share(String version) {
    String v = browser.attribute(".traffic-row[data-version='" + version + "']", "data-share");
    return v == null ? 0 : Double.parseDouble(v);
  }
}

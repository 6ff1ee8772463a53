package io.opflow.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium against a real cluster: a failing run with its failed step,
 * error and failure hook; a running run that updates without a reload; keyboard use; and
 * screenshots of each page at 1280×800 and phone size, written to {@code target/ui-screenshots}.
 */
@Tag("browser")
class UiBrowserTest {
  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(UiJobs.DEFS).build();

  private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static UiServer ui;
  private ChromeDriver browser;

  @BeforeAll
  static void start() {
    ui =
        UiServer.start(
            Map.of("bootstrap.servers", cluster.bootstrapServers()),
            cluster.topics(),
            UiOptions.defaults().withPort(0).withMaxRuns(100),
            UiJobs.DEFS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    ui.close();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aFailingRunShowsItsFailedStepTheErrorAndTheFailureHook() throws IOException {
    browser = Browser.start(1280, 800);
    String runId = cluster.client().submit(UiJobs.DEFS, UiJobs.FAILING, RunConfig.empty());
    cluster.client().awaitCompletion(runId, WAIT);

    browser.get(url("/"));
    waitFor(By.id("run-" + runId));
    waitUntil(
        () -> row(runId).getText().contains("FAILED") && row(runId).getText().contains("explode"));
    screenshot("runs");

    openFromTheList(runId);
    waitUntil(() -> browser.getPageSource().contains("page_on_call"));
    WebElement step = browser.findElement(By.id("step-explode"));
    assertThat(step.getText())
        .contains("FAILED")
        .contains("IllegalStateException: " + UiJobs.ERROR);
    assertThat(step.findElements(By.tagName("b"))).as("HTML in the error is text").isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.injected"))
        .as("a script in the error does not run")
        .isNull();
    assertThat(step.findElement(By.cssSelector("table.hooks")).getText())
        .contains("page_on_call")
        .contains("failure")
        .contains("COMPLETED")
        .contains(runId + "/explode/1/page_on_call");
    step.findElement(By.cssSelector("details summary")).click();
    assertThat(step.findElement(By.cssSelector("details pre")).getText())
        .contains("at io.opflow.ui.UiJobs");
    screenshot("run-failed");

    browser.get(url("/hooks"));
    waitUntil(() -> browser.getPageSource().contains("page_on_call"));
    screenshot("hooks");
  }

  @Test
  void aRunInProgressUpdatesWithoutAReload() throws IOException {
    browser = Browser.start(1280, 800);
    String runId = cluster.client().submit(UiJobs.DEFS, UiJobs.SLOW, RunConfig.empty());
    browser.get(url("/"));
    waitFor(By.id("run-" + runId));
    ((JavascriptExecutor) browser).executeScript("window.sameDocument = true");
    waitUntil(() -> row(runId).getText().contains("STARTED"));

    openFromTheList(runId);
    waitUntil(() -> browser.getPageSource().contains("nap"));
    ((JavascriptExecutor) browser).executeScript("window.sameDocument = true");
    // The live feed redraws the heading as events arrive, so the badge is read again until it
    // answers rather than once: a redraw between finding and reading it is not a failure.
    waitUntil(() -> browser.findElement(By.cssSelector("h1 .badge")).getText().equals("STARTED"));
    screenshot("run-live");

    waitUntil(() -> browser.findElement(By.cssSelector("h1 .badge")).getText().equals("SUCCEEDED"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument"))
        .as("the page changed without a reload")
        .isEqualTo(true);
    waitUntil(() -> browser.findElement(By.id("step-nap")).getText().contains("note_success"));
  }

  @Test
  void cancelStopsARunningRun() throws IOException {
    browser = Browser.start(1280, 800);
    String runId = cluster.client().submit(UiJobs.DEFS, UiJobs.SLEEPY, RunConfig.empty());
    browser.get(url("/runs/" + runId));
    waitUntil(
        () -> {
          if (!browser.getPageSource().contains("id=\"cancel\"")) {
            browser.navigate().refresh(); // until the UI has read the run's start
            return false;
          }
          return browser.findElement(By.id("step-doze")).getText().contains("RUNNING");
        });

    onFresh(
        By.name("reason"),
        reason -> {
          reason.clear();
          reason.sendKeys("stopped by the browser test");
        });
    browser.findElement(By.id("cancel")).click();

    assertThat(cluster.client().awaitCompletion(runId, WAIT).status()).isEqualTo("CANCELED");
    // Live updates are aRunInProgressUpdatesWithoutAReload's to prove; here the page is asked
    // again until the UI has read the cancel, so a slow feed on a busy machine is not a failure.
    waitUntil(
        () -> {
          if (!browser.findElement(By.cssSelector("h1 .badge")).getText().equals("CANCELED")) {
            browser.navigate().refresh();
            return false;
          }
          return true;
        });
    assertThat(browser.findElement(By.cssSelector(".facts")).getText())
        .contains("stopped by the browser test");
    assertThat(browser.findElements(By.id("cancel"))).as("nothing left to cancel").isEmpty();
    screenshot("run-canceled");

    browser.get(url("/cluster"));
    waitUntil(() -> browser.getPageSource().contains("opflow-workers"));
    screenshot("cluster");
  }

  @Test
  void reexecuteFromFailureRunsOnlyWhatFailedAndWhatLiesDownstream() throws IOException {
    browser = Browser.start(1280, 800);
    String parent = cluster.client().submit(UiJobs.DEFS, UiJobs.FAILING, RunConfig.empty());
    cluster.client().awaitCompletion(parent, WAIT);
    browser.get(url("/runs/" + parent));
    waitUntil(
        () -> {
          if (browser.findElements(By.id("reexecute-from-failure")).isEmpty()) {
            browser.navigate().refresh(); // until the UI has read the run's end
            return false;
          }
          return true;
        });

    browser.findElement(By.id("reexecute-from-failure")).click();

    waitUntil(() -> !browser.getCurrentUrl().endsWith("/runs/" + parent));
    String child = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
    assertThat(cluster.client().awaitCompletion(child, WAIT).status()).isEqualTo("FAILED");
    waitUntil(
        () -> {
          if (browser.findElements(By.cssSelector("h1 .badge")).isEmpty()
              || !browser.findElement(By.cssSelector("h1 .badge")).getText().equals("FAILED")) {
            browser.navigate().refresh();
            return false;
          }
          return true;
        });
    assertThat(browser.findElement(By.id("parent-run")).getText()).isEqualTo(parent);
    assertThat(browser.findElement(By.id("step-prepare")).getText())
        .contains("REUSED")
        .doesNotContain("note_success");
    assertThat(browser.findElement(By.id("step-explode")).getText())
        .contains("FAILED")
        .contains("page_on_call");
    screenshot("run-reexecuted");
    assertThat(cluster.client().events(child))
        .filteredOn(u -> !u.stepKey().isEmpty())
        .extracting(u -> u.stepKey())
        .as("the reused step did not run again")
        .containsOnly("explode");
  }

  @Test
  void submitShowsEachConfigProblemWithItsPathThenSubmitsTheCorrectedRun() throws IOException {
    browser = Browser.start(1280, 800);
    browser.get(url("/submit"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("job")))
        .selectByVisibleText(UiJobs.GREETING);
    WebElement config = browser.findElement(By.name("config"));
    config.sendKeys("ops:\n  greet:\n    config:\n      times: x\n");
    browser.findElement(By.id("submit")).click();

    WebElement problems = waitFor(By.cssSelector(".problems"));
    assertThat(problems.getText())
        .contains("Nothing was submitted")
        .contains("ops.greet.config.times")
        .contains("ops.greet.config.name");
    screenshot("submit-invalid");

    config = browser.findElement(By.name("config"));
    config.clear();
    config.sendKeys("ops: {greet: {config: {name: Ada, times: 2}}}");
    browser.findElement(By.id("submit")).click();
    waitUntil(() -> browser.getCurrentUrl().contains("/runs/"));
    // The run's page shows it once the UI has read it and it ended; live updates are another
    // test's (aRunInProgressUpdatesWithoutAReload): on a busy machine, ask again rather than wait.
    waitUntil(
        () -> {
          if (browser.findElements(By.cssSelector("h1 .badge")).isEmpty()
              || !browser.findElement(By.cssSelector("h1 .badge")).getText().equals("SUCCEEDED")) {
            browser.navigate().refresh();
            return false;
          }
          return true;
        });
    assertThat(browser.findElement(By.id("step-greet")).getText()).contains("SUCCEEDED");
  }

  @Test
  void theRunsPageWorksFromTheKeyboardAndOnAPhone() throws IOException {
    browser = Browser.start(390, 844);
    String runId = cluster.client().submit(UiJobs.DEFS, UiJobs.FAILING, RunConfig.empty());
    cluster.client().awaitCompletion(runId, WAIT);
    browser.get(url("/"));
    waitFor(By.id("run-" + runId));

    onFresh(By.name("q"), search -> search.sendKeys(runId.substring(0, 8), Keys.ENTER));
    waitUntil(() -> browser.getCurrentUrl().contains("q=" + runId.substring(0, 8)));
    assertThat(browser.findElements(By.cssSelector("table.runs tbody tr"))).hasSize(1);
    Long overflow =
        (Long)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(overflow).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0L);
    screenshot("runs-phone");
  }

  // The live list may be swapped between finding the link and clicking it: find it again then.
  private void openFromTheList(String runId) {
    waitUntil(
        () -> {
          row(runId).findElement(By.tagName("a")).click();
          return true;
        });
  }

  // Acts on an element of a live page, finding it again if a refresh swapped it meanwhile. Once
  // a field has the focus, the page keeps it until it is left.
  private void onFresh(By by, java.util.function.Consumer<WebElement> action) {
    waitUntil(
        () -> {
          action.accept(browser.findElement(by));
          return true;
        });
  }

  private WebElement row(String runId) {
    return browser.findElement(By.id("run-" + runId));
  }

  private WebElement waitFor(By by) {
    return new WebDriverWait(browser, WAIT).until(d -> d.findElement(by));
  }

  private void waitUntil(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, WAIT)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.ElementNotInteractableException.class)
        .until(d -> condition.getAsBoolean());
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String url(String path) {
    return "http://localhost:" + ui.port() + path;
  }
}

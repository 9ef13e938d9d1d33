package dev.pcitimeline.app.ui;

import dev.pcitimeline.domain.machine.HistoryLandmarks;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time-travel page in a real browser against the real service: a system created from the
 * report's scenario by uploading the file, the point moved by keys to the step where
 * {@code bus2bridge[6]} first points at its own bus ({@code 06:00.0}, the self reference of the
 * report), that cell's audit trail and a jump to the write that caused it, a policy switch
 * ({@code fix-invalidate-loop} repairs entry 6), the compare mode, a shared URL, and a scenario
 * error shown at its line. Screenshots of each state go to {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TimeTravelUiTest {
    static final Path SCENARIO = Path.of("..", "scenarios", "library", "report-exact-table.yaml");
    /** Where that history does what, by meaning: its steps recorded on the pure model, as the service records them. */
    static final HistoryLandmarks HISTORY = new ScenarioParser().parse(SCENARIO).landmarks();
    /** The end of the history, of step 0 (xen-boot) and of step 1 (dom0-boot with assign-busses). */
    static final String END = String.valueOf(HISTORY.lastEvent());
    static final String END_OF_XEN_BOOT = String.valueOf(HISTORY.endOfStep(0));
    static final String END_OF_DOM0_BOOT = String.valueOf(HISTORY.endOfStep(1));
    static final String BEFORE_END_OF_DOM0_BOOT = String.valueOf(HISTORY.endOfStep(1) - 1);
    /** dom0-boot's report of the Tundra at 06:00.0: alloc_pdev's fill points entry 6 at the bridge's own bus. */
    static final long SELF_WRITE = HISTORY.write(6, Bus2BridgeWriteCause.Rule.ALLOC_FILL, 1);
    static final String SELF = String.valueOf(SELF_WRITE);
    static final String BEFORE_SELF = String.valueOf(SELF_WRITE - 1);
    /** System (scenario), policy, events, steps, findings, created. */
    static final int FINDINGS_COLUMN = 4;

    /**
     * The event store: a temporary directory. Set as a system property before the context starts (the store's
     * URL is computed while the environment is prepared, before dynamic properties exist), removed after.
     */
    @TempDir
    static Path store;

    @BeforeAll
    static void browserInstalledAndStoreInATemporaryDirectory() {
        Browser.requireAvailable();
        System.setProperty("pcitimeline.db", store.toAbsolutePath().toString());
    }

    @AfterAll
    static void forgetTheStore() {
        System.clearProperty("pcitimeline.db");
    }

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String datasourceUrl;

    Browser browser;
    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
        driver = browser.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Test
    void scrubsToTheSelfReferenceAuditsItSwitchesPolicyAndCompares() throws Exception {
        assertThat(datasourceUrl).as("tests never write to ./data").contains(store.toAbsolutePath().toString());

        // ---- systems page: create a system by uploading the report's scenario file
        driver.get(base());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#systems-h"), "Systems"));
        driver.findElement(By.id("scenario-file")).sendKeys(SCENARIO.toAbsolutePath().normalize().toString());
        wait.until(d -> d.findElement(By.id("scenario-text")).getDomProperty("value").startsWith("scenario: report-exact-table"));
        browser.screenshot("01-systems-page");
        driver.findElement(By.id("create-system")).click();

        // ---- the system page opens at "now" (after the last event)
        wait.until(ExpectedConditions.urlContains("system=report-exact-table-"));
        wait.until(attributeIs(".system-page", "data-event", END));
        String system = param(driver.getCurrentUrl(), "system");
        assertThat(system).startsWith("report-exact-table-");
        assertThat(driver.findElement(By.cssSelector(".status-line")).getText()).contains("all passed");

        // ---- keys: Home to the first event, Shift+Right twice: the end of step 0, then of step 1
        WebElement slider = driver.findElement(By.id("slider"));
        slider.sendKeys(Keys.HOME);
        wait.until(attributeIs(".system-page", "data-event", "1"));
        slider.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_RIGHT));
        wait.until(attributeIs(".system-page", "data-event", END_OF_XEN_BOOT));
        // after xen-boot: entry 6 -> 05:00.0 is right for the firmware's numbering
        assertThat(cell(6).getAttribute("data-state")).isEqualTo("fine");
        slider.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_RIGHT));
        wait.until(attributeIs(".system-page", "data-event", END_OF_DOM0_BOOT));
        wait.until(attributeIs(".system-page", "data-step", "1"));
        assertThat(param(driver.getCurrentUrl(), "event")).isEqualTo(END_OF_DOM0_BOOT);

        // dom0-boot with assign-busses: the Tundra reported at 06:00.0 while it still decodes 6..7
        WebElement six = cell(6);
        assertThat(six.getAttribute("class")).contains("state-self");
        assertThat(six.getAttribute("data-bridge")).isEqualTo("0000:06:00.0");
        assertThat(six.getText()).contains("06:00.0");
        assertThat(six.getAttribute("data-findings")).contains("BUS2BRIDGE_SELF").contains("BUS2BRIDGE_LOOP");
        assertThat(cell(7).getAttribute("class")).contains("state-self"); // 7 -> 07:01.0
        assertThat(cell(8).getAttribute("class")).contains("state-stale"); // unmapped, a fresh boot maps it

        // Left/Right move one event
        slider.sendKeys(Keys.ARROW_LEFT);
        wait.until(attributeIs(".system-page", "data-event", BEFORE_END_OF_DOM0_BOOT));
        slider.sendKeys(Keys.ARROW_RIGHT);
        wait.until(attributeIs(".system-page", "data-event", END_OF_DOM0_BOOT));

        // ---- the cell's audit trail: written by alloc_pdev's fill when dom0 reported the Tundra
        cell(6).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-title"), "bus2bridge[06]"));
        WebElement cause = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#audit .write[data-event='" + SELF + "']")));
        assertThat(cause.getAttribute("data-rule")).isEqualTo("alloc_pdev fill");
        assertThat(cause.getText()).contains("06:00.0");
        assertThat(driver.findElement(By.cssSelector("#audit [data-role=current]")).getText()).isEqualTo("06:00.0");
        assertThat(param(driver.getCurrentUrl(), "sel")).isEqualTo("bus-6");
        browser.screenshot("02-self-reference-and-its-audit");

        // ---- jump to the event that caused it
        cause.findElement(By.cssSelector("button.jump")).click();
        wait.until(attributeIs(".system-page", "data-event", SELF));
        assertThat(param(driver.getCurrentUrl(), "event")).isEqualTo(SELF);
        assertThat(driver.findElement(By.cssSelector("#timeline .event.current")).getAttribute("data-event"))
                .isEqualTo(SELF);
        wait.until(d -> cell(6).getAttribute("class").contains("state-self"));
        // from that event back one and forward again: the move marks the cell as changed
        new Actions(driver).sendKeys(Keys.ARROW_LEFT).perform();
        wait.until(attributeIs(".system-page", "data-event", BEFORE_SELF));
        assertThat(cell(6).getAttribute("data-bridge")).isEqualTo("0000:05:00.0");
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        wait.until(attributeIs(".system-page", "data-event", SELF));
        wait.until(d -> cell(6).getAttribute("class").contains("changed"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit .write.at-point[data-event='" + SELF + "']")));
        browser.screenshot("03-at-the-write-that-made-it");

        // ---- the grid by keyboard: arrows move between cells (not the point), Enter opens the audit, Esc leaves
        browser.js("document.getElementById('cell-6').focus()");
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("cell-7");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-title"), "bus2bridge[07]"));
        assertThat(driver.findElement(By.cssSelector(".system-page")).getAttribute("data-event")).isEqualTo(SELF);
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("cell-7");
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("slider");
        cell(6).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-title"), "bus2bridge[06]"));

        // ---- the end of the history under xen-4.4: the report's table {6, 7: 06:00.0, 8: 07:01.0}
        new Actions(driver).sendKeys(Keys.END).perform();
        wait.until(attributeIs(".system-page", "data-event", END));
        assertThat(cell(6).getAttribute("class")).contains("state-self");
        assertThat(cell(7).getAttribute("data-bridge")).isEqualTo("0000:06:00.0");
        assertThat(cell(7).getAttribute("class")).contains("state-loop");
        assertThat(cell(8).getAttribute("data-bridge")).isEqualTo("0000:07:01.0");
        assertThat(cell(8).getAttribute("class")).contains("state-loop");

        // ---- switch policy: fix-invalidate-loop clears entry 6, keeps 7 -> 06:00.0 and 8 -> 07:01.0
        new Select(driver.findElement(By.id("policy"))).selectByValue("fix-invalidate-loop");
        wait.until(attributeIs(".system-page", "data-policy", "fix-invalidate-loop"));
        assertThat(param(driver.getCurrentUrl(), "policy")).isEqualTo("fix-invalidate-loop");
        assertThat(cell(6).getAttribute("class")).contains("state-unmapped").contains("changed");
        assertThat(cell(6).getAttribute("data-bridge")).isEmpty();
        assertThat(cell(7).getAttribute("class")).contains("state-fine").contains("changed");
        assertThat(cell(8).getAttribute("class")).contains("state-fine");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-title"), "fix-invalidate-loop"));
        browser.screenshot("04-policy-fix-invalidate-loop");

        // ---- compare the two policies side by side: bus 6 differs
        new Select(driver.findElement(By.id("compare"))).selectByValue("policies");
        new Select(driver.findElement(By.id("vs"))).selectByValue("xen-4.4");
        wait.until(d -> d.findElement(By.id("pane-b-title")).getText().contains("xen-4.4"));
        wait.until(d -> d.findElement(By.id("cell-b-6")).getAttribute("class").contains("differs"));
        assertThat(driver.findElement(By.id("cell-a-6")).getAttribute("class")).contains("state-unmapped");
        assertThat(driver.findElement(By.id("cell-b-6")).getAttribute("class")).contains("state-self");
        assertThat(driver.findElement(By.cssSelector("#diff")).getText()).contains("bus 06");
        browser.screenshot("05-compare-policies");

        // ---- the URL is the view: opening it again restores system, point, policy and compare mode
        String shared = driver.getCurrentUrl();
        assertThat(param(shared, "compare")).isEqualTo("policies");
        driver.get(base());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("systems-h")));
        driver.get(shared);
        wait.until(attributeIs(".system-page", "data-policy", "fix-invalidate-loop"));
        wait.until(d -> d.findElement(By.id("cell-b-6")).getAttribute("class").contains("differs"));
        assertThat(new Select(driver.findElement(By.id("compare"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("policies");

        // ---- two points: from the end of step 1 to now, under xen-4.4
        new Select(driver.findElement(By.id("policy"))).selectByValue("xen-4.4");
        new Select(driver.findElement(By.id("compare"))).selectByValue("points");
        WebElement from = driver.findElement(By.id("from"));
        from.clear();
        from.sendKeys(END_OF_DOM0_BOOT, Keys.ENTER);
        wait.until(d -> d.findElement(By.id("pane-a-title")).getText().contains("event " + END_OF_DOM0_BOOT));
        // 8 becomes 07:01.0 (and loops) between the two points
        wait.until(d -> d.findElement(By.id("cell-b-8")).getAttribute("class").contains("differs"));
        assertThat(driver.findElement(By.id("cell-a-8")).getAttribute("data-bridge")).isEmpty();
        assertThat(driver.findElement(By.id("cell-b-8")).getAttribute("data-bridge")).isEqualTo("0000:07:01.0");
        browser.screenshot("06-compare-points");

        // ---- the systems list shows it with its finding count
        driver.get(base());
        By row = By.xpath("//table//tr[td/a[normalize-space(.)='" + system + "']]");
        // the finding count arrives after the list (one state per system), each arrival re-rendering the rows: with
        // several systems in the store a row found may be replaced before its cells are read
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElements(row).size() == 1
                && d.findElement(row).findElements(By.tagName("td")).get(FINDINGS_COLUMN).getText().matches("\\d+"));
        String text = driver.findElement(row).getText();
        assertThat(text).contains("report-exact-table").contains("xen-4.4").contains(END);
        assertThat(Integer.parseInt(driver.findElement(row).findElements(By.tagName("td")).get(FINDINGS_COLUMN).getText()))
                .as("findings now (xen-4.4: SELF, LOOPs, STALE, PDEV_STALE, contexts…)").isGreaterThan(5);
    }

    @Test
    void aRefusedScenarioIsShownAtItsLine() throws Exception {
        driver.get(base());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("systems-h")));
        // line 4 has an unknown key
        String broken = String.join("\n",
                "scenario: broken-example",
                "topology:",
                "  - {id: rp, devfn: \"1c.0\", kind: root-port, buses: [0, 1, 1]}",
                "  - {id: nic, devfn: \"02.0\", kind: pcie-endpoint, colour: blue}",
                "steps:",
                "  - xen-boot",
                "");
        WebElement text = driver.findElement(By.id("scenario-text"));
        text.sendKeys(broken);
        driver.findElement(By.id("create-system")).click();
        WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-error")));
        assertThat(problem.getText()).contains("line 4").contains("colour");
        assertThat(driver.findElement(By.cssSelector(".gutter .error-line")).getText()).isEqualTo("4");
        assertThat(text.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.getCurrentUrl()).doesNotContain("system=");
        browser.screenshot("07-scenario-error-at-its-line");

        // Editing the text clears the mark
        text.sendKeys(Keys.END, " ");
        wait.until(d -> d.findElements(By.cssSelector(".gutter .error-line")).isEmpty());
        assertThat(driver.findElement(By.id("create-error")).isDisplayed()).isFalse();
    }

    @Test
    void everyControlIsKeyboardReachableWithVisibleFocus() {
        driver.get(base());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("systems-h")));
        List<String> reached = new java.util.ArrayList<>();
        for (int i = 0; i < 60 && !reached.contains("button#create-system"); i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement focused = driver.switchTo().activeElement();
            reached.add(describe(focused));
            String outline = (String) browser.js(
                    "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;", focused);
            String within = (String) browser.js(
                    "const e = arguments[0].closest('.editor'); return e ? getComputedStyle(e).outlineStyle : 'none';",
                    focused);
            assertThat(!outline.startsWith("none") || !"none".equals(within))
                    .as("focus is visible on " + describe(focused) + " (" + outline + ")").isTrue();
        }
        // in document order: the file chooser, the scenario text, then the button
        assertThat(reached).containsSubsequence("label", "textarea#scenario-text", "button#create-system");
    }

    @Test
    void drawsTheHardwareAsLspciTreeDoes() throws Exception {
        String system = createFromLibrary();
        // event 1: the firmware's numbering, before Xen or dom0 did anything (no pdev yet)
        driver.get(base() + "?system=" + system + "&event=1&tab=tree");
        wait.until(attributeIs(".system-page", "data-event", "1"));
        List<String> lines = driver.findElements(By.cssSelector("#panel-tree .tree-line")).stream()
                .map(e -> (String) browser.js("return arguments[0].textContent;", e)).toList();
        assertThat(lines).containsExactly(
                "-[0000:00]-+-01.0-[01-04]----00.0-[02-04]--+-00.0-[03]----00.0  igb  no pdev",
                "           |                               \\-01.0-[04]--",
                "           \\-1c.0-[05-07]----00.0-[06-07]----01.0-[07]--");
        assertThat(driver.findElements(By.cssSelector("#panel-tree .tree-line .slot.missing"))).as("no function has a pdev before xen-boot").hasSize(8);

        // at the end (xen-4.4): two pdevs whose address answers nothing, the Tundra at 06:00.0 held
        driver.get(base() + "?system=" + system + "&tab=tree");
        wait.until(attributeIs(".system-page", "data-event", END));
        assertThat(driver.findElement(By.cssSelector("#panel-tree .tree-line:last-child")).getText())
                .isEqualTo("           \\-1c.0-[06-08]----00.0-[07-08]----01.0-[08]--");
        assertThat(driver.findElement(By.cssSelector("#panel-tree .slot[data-bdf='0000:06:00.0']")).getAttribute("class"))
                .contains("held");
        assertThat(driver.findElement(By.cssSelector("#panel-tree table")).getText())
                .contains("05:00.0").contains("06:01.0").contains("PDEV_STALE");
        browser.screenshot("08-hardware-tree");
    }

    /**
     * The releases view of report-exact-table (values worked out in VersionsCommandTest from the scenario's
     * comments): every policy the server knows is a row and an option of the policy switcher; fix-trap-bus-writes
     * hangs at event 44 of step 1; fix-invalidate-loop departs from xen-4.4 at the Tundra's removal, event 65, where
     * it clears entry 6. A click on that row opens compare mode, xen-4.4 against it, at event 65.
     */
    @Test
    void releasesViewListsEveryPolicyAndOpensCompareMode() throws Exception {
        String system = createFromLibrary();
        driver.get(base() + "?system=" + system + "&tab=releases");
        List<String> policies = java.util.Arrays.stream(dev.pcitimeline.domain.value.Policy.values())
                .map(dev.pcitimeline.domain.value.Policy::text).toList();
        wait.until(d -> d.findElements(By.cssSelector("#releases tbody tr")).size() == policies.size());
        assertThat(driver.findElements(By.cssSelector("#releases tbody tr")).stream()
                .map(r -> r.getAttribute("data-policy")).toList()).isEqualTo(policies);
        // the switchers list the server's policies, not a list of the page's own
        assertThat(new Select(driver.findElement(By.id("policy"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList()).isEqualTo(policies);
        assertThat(new Select(driver.findElement(By.id("vs"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList()).isEqualTo(policies);

        WebElement trap = driver.findElement(By.cssSelector("#releases tr[data-policy='fix-trap-bus-writes']"));
        assertThat(trap.getText()).contains("never released", "HUNG", "step 1 (event 44)", "event 43 (step 1)");
        WebElement base = driver.findElement(By.cssSelector("#releases tr[data-policy='xen-4.4']"));
        assertThat(base.getText()).contains("released", "baseline").doesNotContain("never released");
        WebElement invalidate = driver.findElement(By.cssSelector("#releases tr[data-policy='fix-invalidate-loop']"));
        assertThat(invalidate.findElement(By.cssSelector("td.departs")).getText()).isEqualTo("event 65 (step 2)");
        browser.screenshot("09-releases");

        invalidate.findElement(By.cssSelector("td.departs")).click();
        wait.until(attributeIs(".system-page", "data-event", "65"));
        wait.until(d -> d.findElement(By.id("pane-b-title")).getText().contains("fix-invalidate-loop"));
        assertThat(driver.findElement(By.id("pane-a-title")).getText()).contains("xen-4.4");
        assertThat(new Select(driver.findElement(By.id("compare"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("policies");
        assertThat(param(driver.getCurrentUrl(), "vs")).isEqualTo("fix-invalidate-loop");
        // xen-4.4 keeps the self reference 6 -> 06:00.0; the fix clears it
        wait.until(d -> d.findElement(By.id("cell-b-6")).getAttribute("class").contains("differs"));
        assertThat(driver.findElement(By.id("cell-a-6")).getAttribute("data-bridge")).isEqualTo("0000:06:00.0");
        assertThat(driver.findElement(By.id("cell-b-6")).getAttribute("class")).contains("state-unmapped");
        browser.screenshot("10-release-compared");
    }

    /** Creates a system from the report's scenario over the REST API; returns its id. */
    String createFromLibrary() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "api/systems"))
                .header("Content-Type", "application/yaml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Files.readString(SCENARIO)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("system").asText();
    }

    // ------------------------------------------------------------------ helpers

    WebElement cell(int bus) {
        return driver.findElement(By.id("cell-" + bus));
    }

    static Function<WebDriver, Boolean> attributeIs(String css, String attribute, String value) {
        return d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && value.equals(found.get(0).getAttribute(attribute));
        };
    }

    static String param(String url, String name) {
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String describe(WebElement e) {
        String id = e.getAttribute("id");
        return e.getTagName() + (id == null || id.isEmpty() ? "" : "#" + id);
    }
}

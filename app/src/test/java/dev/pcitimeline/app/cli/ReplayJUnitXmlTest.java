package dev.pcitimeline.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay --junit-xml}: the report a CI shows, read back with an XML parser. The files are the ones
 * ScenarioTestsTest runs (scenarios' test resources): report.yaml has three expect entries, the second fails on
 * purpose (remove of a known pdev is ok, not ENODEV); invalid-pf.yaml names a PF that does not exist.
 */
class ReplayJUnitXmlTest {
    static final Path DIR = Path.of("..", "scenarios", "src", "test", "resources", "junit");

    @TempDir
    Path tmp;

    @Test
    void one_suite_per_file_one_case_per_expect_entry_the_failure_and_the_invalid_file() throws Exception {
        Path out = tmp.resolve("replay.xml");
        String report = DIR.resolve("report.yaml").toString();
        String invalid = DIR.resolve("invalid-pf.yaml").toString();
        ReplayCommandTest.Run run = ReplayCommandTest.run("replay", "--junit-xml", out, report, invalid);

        assertThat(run.exit()).as("an invalid file: exit 2 as without --junit-xml\n%s", run).isEqualTo(2);
        Element root = parse(out);
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("errors")).isEqualTo("1");

        List<Element> suites = children(root, "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly(report, invalid);

        Element replayed = suites.get(0);
        assertThat(replayed.getAttribute("tests")).isEqualTo("3");
        assertThat(replayed.getAttribute("failures")).isEqualTo("1");
        assertThat(replayed.getAttribute("errors")).isEqualTo("0");
        List<Element> cases = children(replayed, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly(
                "step 0 xen-boot: pdevs (xen-4.4)",
                "step 1 remove: outcome, pdevs (xen-4.4)",
                "step 1 remove: pdevs (fix-remember-range)");
        assertThat(cases).allSatisfy(c -> assertThat(c.getAttribute("classname")).isEqualTo(report));
        assertThat(children(cases.get(0), "failure")).isEmpty();
        assertThat(children(cases.get(2), "failure")).isEmpty();
        List<Element> failure = children(cases.get(1), "failure");
        assertThat(failure).hasSize(1);
        String message = "report.yaml:10: step 1 (remove: \"0000:00:02.0\"): outcome (policy xen-4.4): "
                + "expected ENODEV, actual ok";
        assertThat(failure.get(0).getAttribute("message")).isEqualTo(message);
        assertThat(failure.get(0).getTextContent()).isEqualTo(message);

        // times in seconds: each case is a slice of its suite's replay
        double suiteTime = Double.parseDouble(replayed.getAttribute("time"));
        double sum = 0;
        for (Element c : cases) {
            double t = Double.parseDouble(c.getAttribute("time"));
            assertThat(t).isNotNegative();
            sum += t;
        }
        assertThat(suiteTime).isPositive().isGreaterThanOrEqualTo(sum - 0.0015 * cases.size());

        Element broken = suites.get(1);
        assertThat(broken.getAttribute("tests")).isEqualTo("1");
        assertThat(broken.getAttribute("errors")).isEqualTo("1");
        List<Element> invalidCase = children(broken, "testcase");
        assertThat(invalidCase).extracting(c -> c.getAttribute("name")).containsExactly("invalid scenario");
        List<Element> error = children(invalidCase.get(0), "error");
        assertThat(error).hasSize(1);
        assertThat(error.get(0).getAttribute("message")).startsWith("invalid-pf.yaml:7: steps[1].enable-sriov.pf: ");
    }

    @Test
    void a_failed_expectation_still_exits_1_and_a_passing_file_has_no_failure() throws Exception {
        Path out = tmp.resolve("one.xml");
        ReplayCommandTest.Run run = ReplayCommandTest.run("replay", "--junit-xml", out, DIR.resolve("report.yaml"));
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(parse(out).getAttribute("failures")).isEqualTo("1");

        Path passing = tmp.resolve("passing.xml");
        Path small = ReplayCommandTest.resource("small.yaml");
        run = ReplayCommandTest.run("replay", "--junit-xml", passing, small);
        assertThat(run.exit()).as("%s", run).isZero();
        Element root = parse(passing);
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        assertThat(Integer.parseInt(root.getAttribute("tests"))).isPositive();
    }

    @Test
    void an_unwritable_report_is_exit_2_naming_the_option() {
        Path out = tmp.resolve("no-such-dir").resolve("replay.xml");
        ReplayCommandTest.Run run = ReplayCommandTest.run("replay", "--junit-xml", out, DIR.resolve("report.yaml"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--junit-xml", out.toString());
        assertThat(Files.exists(out)).isFalse();
    }

    static Element parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}

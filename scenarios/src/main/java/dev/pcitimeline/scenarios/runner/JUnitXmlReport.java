package dev.pcitimeline.scenarios.runner;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Replay results as a JUnit XML report in the format Maven Surefire writes and Jenkins and GitLab read: a
 * {@code testsuites} root, one {@code testsuite} per file, one {@code testcase} per {@code expect} entry (named as
 * {@link ScenarioTests} names its tests, {@code classname} the file), a {@code failure} carrying the same message
 * as the test, an {@code error} for a file that is invalid or could not be replayed; times in seconds.
 */
public final class JUnitXmlReport {
    /** The one test case of an invalid file, in this report and among {@link ScenarioTests}' tests. */
    public static final String INVALID = "invalid scenario";
    /** The one test case of a file that could not be replayed (no engine, views too slow, a point out of range). */
    public static final String NOT_REPLAYED = "replay";

    /** What became of one file. */
    public sealed interface FileReport permits Replayed, NotReplayed {
        String file();
    }

    /** A file that replayed: its expect entries are its test cases. */
    public record Replayed(String file, ReplayResult result) implements FileReport {
    }

    /**
     * A file that never got to its expectations: one test case {@code test} with an {@code error} of {@code type}.
     * {@code message} is the validator's for an invalid file.
     */
    public record NotReplayed(String file, String test, String type, String message) implements FileReport {
    }

    private JUnitXmlReport() {
    }

    public static void write(List<FileReport> files, Path out) throws IOException {
        try (OutputStream stream = Files.newOutputStream(out)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(stream, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "pci-timeline replay");
            xml.writeAttribute("tests", Long.toString(files.stream().mapToLong(JUnitXmlReport::tests).sum()));
            xml.writeAttribute("failures", Long.toString(files.stream().mapToLong(JUnitXmlReport::failures).sum()));
            xml.writeAttribute("errors", Long.toString(files.stream().filter(NotReplayed.class::isInstance).count()));
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("time", seconds(files.stream().map(JUnitXmlReport::time).reduce(Duration.ZERO, Duration::plus)));
            for (FileReport file : files) {
                suite(xml, file);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit XML report " + out + ": " + e.getMessage(), e);
        }
    }

    private static void suite(XMLStreamWriter xml, FileReport file) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", file.file());
        xml.writeAttribute("tests", Long.toString(tests(file)));
        xml.writeAttribute("failures", Long.toString(failures(file)));
        xml.writeAttribute("errors", file instanceof NotReplayed ? "1" : "0");
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", seconds(time(file)));
        if (file instanceof Replayed replayed) {
            for (CheckedExpectation check : replayed.result().checks()) {
                xml.writeCharacters("\n    ");
                startCase(xml, file.file(), check.name(), check.time());
                if (!check.passed()) {
                    problem(xml, "failure", "expectation", check.failureMessage());
                }
                xml.writeEndElement();
            }
        } else if (file instanceof NotReplayed error) {
            xml.writeCharacters("\n    ");
            startCase(xml, file.file(), error.test(), Duration.ZERO);
            problem(xml, "error", error.type(), error.message());
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void startCase(XMLStreamWriter xml, String file, String name, Duration time) throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("name", name);
        xml.writeAttribute("classname", file);
        xml.writeAttribute("file", file);
        xml.writeAttribute("time", seconds(time));
    }

    /** The whole message as the element's text; the attribute holds it on one line (XML flattens newlines there). */
    private static void problem(XMLStreamWriter xml, String element, String type, String message) throws XMLStreamException {
        xml.writeCharacters("\n      ");
        xml.writeStartElement(element);
        xml.writeAttribute("message", message.replace("\n", "; "));
        xml.writeAttribute("type", type);
        xml.writeCharacters(message);
        xml.writeEndElement();
        xml.writeCharacters("\n    ");
    }

    private static long tests(FileReport file) {
        return file instanceof Replayed r ? r.result().checks().size() : 1;
    }

    private static long failures(FileReport file) {
        return file instanceof Replayed r ? r.result().checks().stream().filter(c -> !c.passed()).count() : 0;
    }

    private static Duration time(FileReport file) {
        return file instanceof Replayed r ? r.result().time() : Duration.ZERO;
    }

    private static String seconds(Duration time) {
        return String.format(Locale.ROOT, "%.3f", time.toNanos() / 1e9);
    }
}

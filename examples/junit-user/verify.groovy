// Checks both runs of invoker.properties from Surefire's reports (written by the example's own build):
// run 1 held every expectation of src/test/scenarios, run 2 failed with exactly the one wrong-on-purpose expectation.
// The counts and the message are worked out by hand from the scenario files.
import groovy.xml.XmlSlurper

def reports = new File(basedir, 'target/surefire-reports')
def suite = { String name ->
    def file = new File(reports, "TEST-org.example.${name}.xml")
    assert file.isFile() : "no Surefire report ${file}"
    new XmlSlurper().parse(file)
}
def failures = { s -> s.testcase.findAll { it.failure.size() > 0 || it.error.size() > 0 } }

// run 1: endpoint-to-a-guest.yaml has 3 expect entries, remove-and-report-again.yaml 3
def scenarios = suite('ScenariosTest')
assert scenarios.@tests.text() == '6' : "ScenariosTest ran ${scenarios.@tests} tests"
assert failures(scenarios).size() == 0 : "ScenariosTest failed: ${failures(scenarios)*.failure*.@message}"
def one = suite('OneScenarioTest')
assert one.@tests.text() == '3' && failures(one).size() == 0

// run 2: forgot-enodev.yaml has 2 expect entries; the second one (line 9) expects ok where Xen answers ENODEV
def wrong = suite('WrongOnPurposeTest')
assert wrong.@tests.text() == '2' : "WrongOnPurposeTest ran ${wrong.@tests} tests"
def failed = failures(wrong)
assert failed.size() == 1 : "expected exactly one failure, got ${failed.size()}"
assert failed[0].@name.text() == 'step 1 remove: outcome (xen-4.4)' : "the failing test was ${failed[0].@name}"
def message = failed[0].failure.@message.text()
def expected = 'forgot-enodev.yaml:9: step 1 (remove: "0000:00:05.0"): outcome (policy xen-4.4): expected ok, actual ENODEV'
assert message == expected : "the failure was\n  ${message}\nnot\n  ${expected}"
// one engine per test JVM: run 1's two test classes shared theirs, run 2 started its own
def starts = new File(basedir, 'build.log').readLines().count { it.contains('pci-timeline embedded engine started') }
assert starts == 2 : "the embedded engine started ${starts} times in two test JVMs"
println "junit-user: run 1 held 9 expectations, run 2 failed with exactly: ${message}"
return true

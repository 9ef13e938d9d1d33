package dev.pcitimeline.domain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.pcitimeline.domain.event.SegmentEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The domain module stays a plain model: no Spring, no storage, no other module; events are values. */
class ArchitectureTest {

    private static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pcitimeline.domain");

    private static final String[] MODELS = {
            "dev.pcitimeline.domain.xen..", "dev.pcitimeline.domain.hardware..", "dev.pcitimeline.domain.dom0.."};

    private static ArchRule noAxonIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAPackage("org.axonframework..");
    }

    @Test
    void the_domain_uses_no_spring_no_jpa_and_no_jdbc() {
        noClasses().that().resideInAPackage("dev.pcitimeline.domain..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "java.sql..")
                .check(DOMAIN);
    }

    @Test
    void the_domain_depends_on_no_other_module() {
        noClasses().that().resideInAPackage("dev.pcitimeline.domain..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.pcitimeline.projections..", "dev.pcitimeline.scenarios..",
                        "dev.pcitimeline.app..")
                .check(DOMAIN);
    }

    @Test
    void events_are_records() {
        classes().that().implement(SegmentEvent.class).and().areNotInterfaces()
                .should().beRecords()
                .check(DOMAIN);
        classes().that().resideInAPackage("dev.pcitimeline.domain.event..").and().areNotInterfaces()
                .should().beRecords()
                .check(DOMAIN);
    }

    @Test
    void the_xen_hardware_and_linux_models_use_no_axon_types() {
        noAxonIn(MODELS).check(DOMAIN);
    }

    @Test
    void the_axon_rule_does_catch_a_class_that_uses_axon() {
        // the aggregate is built on Axon: the same rule, pointed at it, must report it
        assertThat(noAxonIn("dev.pcitimeline.domain.aggregate..").evaluate(DOMAIN).hasViolation()).isTrue();
    }
}

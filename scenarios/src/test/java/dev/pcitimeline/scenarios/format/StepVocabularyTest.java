package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.step.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every step type is spelled, parsed and written in one place ({@link Step.Kind} and its record): each
 * usage shown in error messages is a valid step of that kind, and a step's text parses back to the step.
 */
class StepVocabularyTest {

    private final ScenarioParser parser = new ScenarioParser();

    @ParameterizedTest
    @EnumSource(Step.Kind.class)
    void each_written_form_in_the_usage_parses_to_its_kind_and_its_text_back_to_the_same_step(Step.Kind kind) {
        String[] forms = kind.usage().split(" or ");
        assertThat(forms).allSatisfy(form -> {
            Step step = parser.parseStep(null, form, 0).step();
            assertThat(step.kind()).isEqualTo(kind);
            assertThat(step.keyword()).isEqualTo(kind.keyword());
            assertThat(parser.parseStep(null, step.text(), 0).step()).as(step.text()).isEqualTo(step);
        });
    }

    @ParameterizedTest
    @EnumSource(Step.Kind.class)
    void a_step_that_may_be_bare_is_written_bare_in_its_usage_and_no_other_is(Step.Kind kind) {
        assertThat(Arrays.asList(kind.usage().split(" or "))).as(kind.usage())
                .matches(forms -> forms.contains(kind.keyword()) == kind.bare());
    }
}

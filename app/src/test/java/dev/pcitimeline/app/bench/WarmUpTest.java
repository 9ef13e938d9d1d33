package dev.pcitimeline.app.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up's stopping rule: run until the compilers' share of a run falls under a tenth, at most so many runs. */
class WarmUpTest {

    @Test
    void stopsAtTheFirstQuietRun() {
        List<Integer> asked = new ArrayList<>();
        double[] shares = {1.42, 1.10, 0.35, 0.099, 0.02};
        WarmUp.Settling s = WarmUp.untilQuiet(20, run -> {
            asked.add(run);
            return shares[run - 1];
        });
        assertThat(asked).containsExactly(1, 2, 3, 4);
        assertThat(s.runs()).isEqualTo(4);
        assertThat(s.lastShare()).isEqualTo(0.099);
        assertThat(s.quiet()).isTrue();
    }

    @Test
    void aShareOfExactlyATenthIsNotQuiet() {
        WarmUp.Settling s = WarmUp.untilQuiet(3, run -> run == 1 ? WarmUp.QUIET_SHARE : 0.0);
        assertThat(s.runs()).isEqualTo(2);
        assertThat(s.quiet()).isTrue();
    }

    @Test
    void runsOutAfterTheMostRunsAndSaysItWasNotQuiet() {
        List<Integer> asked = new ArrayList<>();
        WarmUp.Settling s = WarmUp.untilQuiet(5, run -> {
            asked.add(run);
            return 0.5;
        });
        assertThat(asked).containsExactly(1, 2, 3, 4, 5);
        assertThat(s.runs()).isEqualTo(5);
        assertThat(s.quiet()).isFalse();
    }

    @Test
    void runsOnceEvenWhenTheFirstRunIsQuiet() {
        WarmUp.Settling s = WarmUp.untilQuiet(12, run -> 0.0);
        assertThat(s.runs()).isEqualTo(1);
        assertThat(s.quiet()).isTrue();
    }
}

package dev.pcitimeline.app.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The compilers' CPU, as the reads' warm-up reads it from /proc. */
class CompilerThreadsTest {
    @Test
    void reads_utime_and_stime_of_compiler_threads_only() {
        // a real line's shape: pid (comm) state, then 9 fields before utime and stime
        String c2 = "4242 (C2 CompilerThre) S 1 1 1 0 -1 1077936192 10 0 0 0 317 41 0 0 20 0 30 0 4711 0 0";
        String c1 = "4243 (C1 CompilerThre) R 1 1 1 0 -1 1077936192 10 0 0 0 5 2 0 0 20 0 30 0 4711 0 0";
        String main = "4244 (java) S 1 1 1 0 -1 1077936192 10 0 0 0 999 99 0 0 20 0 30 0 4711 0 0";
        String odd = "4245 (a (tricky) name) S 1 1 1 0 -1 1077936192 10 0 0 0 7 7 0 0 20 0 30 0 4711 0 0";
        assertThat(CompilerThreads.ticks(c2)).isEqualTo(358L);
        assertThat(CompilerThreads.ticks(c1)).isEqualTo(7L);
        assertThat(CompilerThreads.ticks(main)).isNull();
        assertThat(CompilerThreads.ticks(odd)).isNull();
    }

    @Test
    void on_linux_the_compilers_have_worked_by_the_time_a_test_runs() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc: not Linux");
        // a JVM that has loaded JUnit and AssertJ has compiled hundreds of methods; C1 alone takes tens of ms
        assertThat(CompilerThreads.cpuMillis()).isGreaterThan(0);
    }
}

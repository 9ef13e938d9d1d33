package dev.pcitimeline.app.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of this JVM's JIT compiler threads so far, read from Linux's {@code /proc/self/task}: how a warm-up
 * tells that the compilers are quiet. The JVM's own figure ({@code CompilationMXBean.getTotalCompilationTime}) counts
 * a compilation when it ends, so a round of reads that ran beside one long C2 compilation looked quiet: a 1,000,000-
 * event run stopped warming its reads after 1.5 s and then timed them while C2 used 0.9 s of CPU a second.
 */
final class CompilerThreads {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Linux reports a task's times in USER_HZ, 100 a second on every architecture the JDK runs Linux on. */
    private static final long MILLIS_PER_TICK = 10;

    private CompilerThreads() {
    }

    /**
     * CPU milliseconds of the live compiler threads ({@code C1 CompilerThread…}, {@code C2 CompilerThread…}), or -1
     * where {@code /proc} cannot say (not Linux): callers then fall back on the JVM's compilation time. A compiler
     * thread the JVM retires takes its time with it, so compare two readings with {@code Math.max(0, …)}.
     */
    static long cpuMillis() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                Long t = compilerTicks(task);
                if (t != null) {
                    ticks += t;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * MILLIS_PER_TICK;
    }

    /** utime + stime of {@code task} when it is a compiler thread; null otherwise or when it has just ended. */
    private static Long compilerTicks(Path task) {
        String stat;
        try {
            stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
            return null; // the thread ended between the listing and the read
        }
        return ticks(stat);
    }

    /**
     * utime + stime from one {@code /proc/…/stat} line when its name (between the first '(' and the last ')', at most
     * 15 characters: "C2 CompilerThre") is a compiler thread's; null otherwise.
     */
    static Long ticks(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String name = stat.substring(open + 1, close);
        if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
            return null;
        }
        // after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String[] fields = stat.substring(close + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

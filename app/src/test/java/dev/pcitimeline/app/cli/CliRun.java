package dev.pcitimeline.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the command line in this JVM and keeps what it printed. */
record CliRun(int exit, String out, String err) {

    /** The real captures, kept with the scenarios module's tests. */
    static final Path REALWORLD = Path.of("../scenarios/src/test/resources/realworld");

    static CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = PciTimelineCommand.commandLine().execute(args);
            System.out.flush();
            System.err.flush();
            return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static String realworld(String file) {
        return REALWORLD.resolve(file).toString();
    }
}

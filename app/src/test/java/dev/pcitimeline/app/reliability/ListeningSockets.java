package dev.pcitimeline.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which local address a TCP port listens on, from Linux's /proc/net/tcp and tcp6 (the kernel's view, not ours). */
final class ListeningSockets {
    private static final String LISTEN = "0A";
    /** 127.0.0.1 as /proc writes it, in IPv4 and IPv4-mapped IPv6 form. */
    private static final List<String> LOOPBACK = List.of("0100007F", "0000000000000000FFFF00000100007F",
            "00000000000000000000000001000000");

    private ListeningSockets() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** The hex local addresses listening on {@code port}. */
    static List<String> addresses(int port) {
        String hexPort = String.format("%04X", port);
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].contains(":") && f[3].equals(LISTEN)
                            && f[1].substring(f[1].indexOf(':') + 1).toUpperCase(Locale.ROOT).equals(hexPort)) {
                        found.add(f[1].substring(0, f[1].indexOf(':')).toUpperCase(Locale.ROOT));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    static boolean onlyLoopback(int port) {
        List<String> a = addresses(port);
        return !a.isEmpty() && LOOPBACK.containsAll(a);
    }

    static boolean wildcard(int port) {
        return addresses(port).stream().anyMatch(a -> a.chars().allMatch(c -> c == '0'));
    }
}

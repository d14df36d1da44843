package io.signalbox.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the .deb that {@code ./mvnw -Ppackage verify} built into a scratch root, the way dpkg
 * unpacks it, and checks what a person who installs it relies on: the files are where the package
 * says, the menu entry and the command on the PATH lead to the launcher, and the installed launcher
 * works without a display. Runs in the package profile only, after the package is built.
 */
@DisplayName("the .deb")
class DebPackageIT {
    private static final Path DIST = Path.of(System.getProperty("signalbox.dist", "target/dist"));
    private static final String VERSION = System.getProperty("signalbox.version", "0.1.0");
    private static final String LAUNCHER = "/opt/signalbox/bin/signalbox";

    @TempDir
    static Path root;
    private static Path deb;

    @BeforeAll
    static void unpack() throws Exception {
        try (Stream<Path> files = Files.list(DIST)) {
            List<Path> debs = files.filter(p -> p.toString().endsWith(".deb")).toList();
            assertThat(debs).as("one .deb in %s", DIST).hasSize(1);
            deb = debs.getFirst();
        }
        run("dpkg-deb", "--extract", deb.toString(), root.toString());
    }

    @Test
    @DisplayName("is named and versioned from the pom, depends on GTK 3 and names a maintainer")
    void control() throws Exception {
        assertThat(deb.getFileName().toString()).isEqualTo("signalbox_" + VERSION + "_amd64.deb");
        assertThat(field("Package")).isEqualTo("signalbox");
        assertThat(field("Version")).isEqualTo(VERSION).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(field("Depends")).contains("libgtk-3-0");
        assertThat(field("Maintainer")).matches(".+ <[^@\\s]+@[^@\\s]+>");
        assertThat(field("Section")).isEqualTo("net");
    }

    @Test
    @DisplayName("lists the launcher, the command link, the menu entry and the icons, and unpacks them there")
    void filesWhereThePackageSays() throws Exception {
        String listing = run("dpkg-deb", "--contents", deb.toString());
        assertThat(listing).contains("./usr/bin/signalbox -> " + LAUNCHER)
                .contains("." + LAUNCHER)
                .contains("./usr/share/applications/signalbox.desktop")
                .contains("./usr/share/icons/hicolor/256x256/apps/signalbox.png")
                .contains("./usr/share/icons/hicolor/scalable/apps/signalbox.svg");

        Path launcher = inRoot(LAUNCHER);
        assertThat(launcher).isRegularFile().isExecutable();
        Path command = root.resolve("usr/bin/signalbox");
        assertThat(Files.isSymbolicLink(command)).as("usr/bin/signalbox is a link").isTrue();
        assertThat(Files.readSymbolicLink(command)).isEqualTo(Path.of(LAUNCHER));
    }

    @Test
    @DisplayName("has a menu entry that runs the command on the PATH, with its icon, and opens invite links")
    void desktopEntry() throws Exception {
        Map<String, String> entry = desktopEntry(root.resolve("usr/share/applications/signalbox.desktop"));
        assertThat(entry).containsEntry("Type", "Application").containsEntry("Name", "Signalbox");
        assertThat(Arrays.asList(entry.get("Categories").split(";"))).contains("Network", "Chat");
        assertThat(Arrays.asList(entry.get("MimeType").split(";"))).contains("x-scheme-handler/signalbox");

        String program = entry.get("Exec").split(" ")[0];
        assertThat(entry.get("Exec")).isEqualTo(program + " %u");
        Path onPath = root.resolve("usr/bin").resolve(program);
        assertThat(Files.isSymbolicLink(onPath)).as("Exec's program on the PATH").isTrue();
        assertThat(inRoot(Files.readSymbolicLink(onPath).toString())).as("what it links to").isExecutable();

        String icon = entry.get("Icon");
        for (int size : new int[] {16, 32, 48, 64, 256}) {
            Path png = root.resolve("usr/share/icons/hicolor/" + size + "x" + size + "/apps/" + icon + ".png");
            assertThat(pngSize(png)).as(png.toString()).containsExactly(size, size);
        }
    }

    @Test
    @DisplayName("runs the self-test from the installed launcher, without a display")
    void selfTest() throws Exception {
        String output = run(inRoot(LAUNCHER).toString(), "--self-test");
        assertThat(output).contains("all checks passed");
        // A start-up cache that does not fit the installed files is ignored with a warning at every start.
        assertThat(output).doesNotContain("[warning]");
    }

    @Test
    @DisplayName("runs the headless commands, and says the pom's version")
    void headlessCommands() throws Exception {
        assertThat(run(inRoot(LAUNCHER).toString(), "--version").strip()).isEqualTo("signalbox " + VERSION);
        assertThat(run(inRoot(LAUNCHER).toString(), "session", "--help")).contains("Usage: signalbox session");
    }

    @Test
    @DisplayName("ships its start-up cache where the launcher's configuration points")
    void startupCache() throws Exception {
        String config = Files.readString(inRoot("/opt/signalbox/lib/app/signalbox.cfg"));
        if (config.contains("-XX:AOTCache=")) {
            assertThat(inRoot("/opt/signalbox/lib/app/signalbox.aot")).isRegularFile();
        } else {
            // Packaging without a display, nor Xvfb, makes no cache; then there must be no stray one.
            assertThat(inRoot("/opt/signalbox/lib/app/signalbox.aot")).doesNotExist();
        }
    }

    private static Path inRoot(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static String field(String name) throws Exception {
        return run("dpkg-deb", "--field", deb.toString(), name).strip();
    }

    private static Map<String, String> desktopEntry(Path file) throws IOException {
        Map<String, String> entry = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) entry.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(Files.readAllLines(file).getFirst()).isEqualTo("[Desktop Entry]");
        return entry;
    }

    /** Width and height from a PNG's header chunk, which follows the 8-byte signature. */
    private static int[] pngSize(Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png); DataInputStream data = new DataInputStream(in)) {
            byte[] signature = data.readNBytes(8);
            assertThat(signature).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            data.readInt();
            assertThat(new String(data.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("IHDR");
            return new int[] {data.readInt(), data.readInt()};
        }
    }

    private static String run(String... command) throws Exception {
        // Output to a file, so that a command that hangs is caught by the wait below, not by a read.
        Path output = Files.createTempFile("signalbox-it", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // The self-test and the launcher must not need a display: take it away if the build has one.
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        Process process = builder.start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) process.destroyForcibly();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(ended).as("%s ended within 60 s; it printed:%n%s", String.join(" ", command), text).isTrue();
        assertThat(process.exitValue()).as("%s exit code; it printed:%n%s", String.join(" ", command), text)
                .isZero();
        return text;
    }
}

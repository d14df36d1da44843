import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds Signalbox's app image and installers for the platform it runs on, from the jar and lib/
 * that Maven's package phase made: a runtime trimmed by jlink, an app image by jpackage with an
 * ahead-of-time cache trained on the app's own start, then the platform's installers from that
 * image (.deb, and .rpm where rpmbuild is present, on Linux; .msi on Windows; .dmg on macOS).
 *
 * <p>Run by {@code ./mvnw -Ppackage package} as {@code java packaging/Packager.java TARGET VERSION}
 * from the project folder. The platform's own jpackage options are in {@code packaging/<platform>/}
 * as argument files, so a maintainer changes them without touching this program.
 */
public final class Packager {
    /** Modules loaded by name, which jdeps cannot see: locale data, so dates and numbers follow the person's locale. */
    private static final List<String> EXTRA_MODULES = List.of("jdk.localedata", "jdk.crypto.ec");
    /** The locales whose data ships; the rest of jdk.localedata is 20 MB nobody here reads. */
    private static final String LOCALES = "en,de,fr,es,it,pt,nl,sv,da,nb,fi,pl,cs,sk,hu,ro,el,tr,ru,uk,ja,ko,zh";
    private static final String NAME = "signalbox";

    private final Path project;
    private final Path target;
    private final String version;
    private final Platform platform;
    private final Path work;
    private final Path dist;

    private Packager(Path project, Path target, String version, Platform platform) {
        this.project = project;
        this.target = target;
        this.version = version;
        this.platform = platform;
        this.work = target.resolve("jpackage");
        this.dist = target.resolve("dist");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java packaging/Packager.java TARGET_DIR VERSION");
            System.exit(2);
        }
        Path project = Path.of("").toAbsolutePath();
        String version = numericVersion(args[1]);
        new Packager(project, project.resolve(args[0]), version, Platform.current()).build();
    }

    /** jpackage wants x.y.z: "0.1.0-SNAPSHOT" ships as 0.1.0. */
    static String numericVersion(String pomVersion) {
        String numeric = pomVersion.replaceFirst("[-+].*$", "");
        if (!numeric.matches("\\d+(\\.\\d+){0,2}")) {
            throw new IllegalArgumentException("the pom's version '" + pomVersion + "' does not start with x.y.z");
        }
        return numeric;
    }

    private void build() throws IOException, InterruptedException {
        deleteTree(work);
        deleteTree(dist);
        Files.createDirectories(work);
        Files.createDirectories(dist);

        Path input = stageInput();
        Path runtime = linkRuntime();
        Path image = appImage(input, runtime);
        train(image);
        switch (platform) {
            case LINUX -> {
                Path deb = installer(image, "deb");
                new DebFinisher(project, work, image, deb).finish();
                if (onPath("rpmbuild")) {
                    installer(withoutStartupCache(image), "rpm");
                } else {
                    System.out.println("rpmbuild is not installed: no .rpm this time.");
                }
            }
            case WINDOWS -> installer(withoutStartupCache(image), "msi");
            case MACOS -> installer(withoutStartupCache(image), "dmg");
        }
        report(image);
    }

    /**
     * The jar and its libraries, with every entry stored rather than deflated: the installers
     * compress the whole payload far better than zip compresses each class, and the JVM reads stored
     * entries without inflating them.
     */
    private Path stageInput() throws IOException {
        Path input = work.resolve("input");
        Files.createDirectories(input.resolve("lib"));
        storeUncompressed(target.resolve(NAME + ".jar"), input.resolve(NAME + ".jar"));
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                storeUncompressed(jar, input.resolve("lib").resolve(jar.getFileName()));
            }
        }
        return input;
    }

    static void storeUncompressed(Path from, Path to) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            out.setMethod(ZipOutputStream.STORED);
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                ZipEntry stored = new ZipEntry(entry.getName());
                stored.setMethod(ZipEntry.STORED);
                stored.setTime(entry.getTime());
                stored.setSize(bytes.length);
                stored.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                stored.setCrc(crc.getValue());
                out.putNextEntry(stored);
                out.write(bytes);
                out.closeEntry();
            }
        }
    }

    /** A runtime of the modules the code uses: jdeps reads the jars, jlink links them. */
    private Path linkRuntime() throws IOException, InterruptedException {
        // jdeps follows the jar's dependencies through the libraries, so their needs count too.
        String classPath;
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            classPath = jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted()
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        String found = tool("jdeps", "--print-module-deps", "--ignore-missing-deps", "--multi-release", "25",
                "--class-path", classPath, target.resolve(NAME + ".jar").toString()).strip();
        List<String> modules = new ArrayList<>(Arrays.asList(found.split(",")));
        EXTRA_MODULES.stream().filter(m -> !modules.contains(m)).forEach(modules::add);
        System.out.println("jlink modules: " + String.join(",", modules));
        Path runtime = work.resolve("runtime");
        // No jlink compression: the installer's own compression does better on plain files.
        tool("jlink", "--add-modules", String.join(",", modules), "--include-locales=" + LOCALES,
                "--output", runtime.toString(), "--strip-debug", "--no-header-files", "--no-man-pages");
        if (platform == Platform.LINUX && onPath("strip")) {
            // The JDK ships libjvm with its symbol table; nothing a desktop app does needs it.
            run(List.of("strip", "--strip-unneeded", runtime.resolve("lib/server/libjvm.so").toString()),
                    1);
        }
        return runtime;
    }

    private Path appImage(Path input, Path runtime) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--type", "app-image",
                "--name", NAME,
                "--app-version", version,
                "--vendor", "Signalbox",
                "--description", "Chat with the people in a shared session",
                "--copyright", "Copyright the Signalbox authors",
                "--runtime-image", runtime.toString(),
                "--input", input.toString(),
                "--main-jar", NAME + ".jar",
                "--main-class", "io.signalbox.cli.Main",
                "--java-options", "--enable-native-access=ALL-UNNAMED",
                "--dest", work.resolve("image").toString()));
        args.add("@" + platform.folder(project).resolve("app-image.args"));
        tool("jpackage", args.toArray(String[]::new));
        return work.resolve("image").resolve(platform.imageName(NAME));
    }

    /**
     * Records what the app loads and links while it opens its first window into an ahead-of-time
     * cache inside the image, and has the launcher use it: the largest part of a cold start is
     * loading and linking classes. Needs a display (Xvfb will do on Linux); without one the image
     * ships without the cache and starts as it would have.
     */
    private void train(Path image) throws IOException, InterruptedException {
        Path config = platform.appFolder(image).resolve(NAME + ".cfg");
        Path cache = platform.appFolder(image).resolve(NAME + ".aot");
        String plain = Files.readString(config);
        List<String> command = new ArrayList<>();
        if (platform == Platform.LINUX && System.getenv("DISPLAY") == null) {
            if (!onPath("xvfb-run")) {
                System.out.println("No display and no xvfb-run: the image ships without a start-up cache.");
                return;
            }
            command.addAll(List.of("xvfb-run", "--auto-servernum", "--server-args=-screen 0 1280x800x24"));
        }
        command.add(platform.launcher(image, NAME).toString());
        command.add("--startup-probe");
        Files.writeString(config, withJavaOption(plain, "-XX:AOTCacheOutput=$APPDIR/" + NAME + ".aot"));
        Path home = Files.createDirectories(work.resolve("training-home"));
        try {
            String out = run(command, 3, "SIGNALBOX_DATA_DIR", home.toString());
            System.out.println("training run: " + out.lines().filter(l -> l.startsWith("first window")).findFirst()
                    .orElse("(no first-window line)"));
        } catch (IOException e) {
            // The cache only speeds the start: a display that would not open costs it, not the build.
            System.out.println("The training run failed, so the image ships without a start-up cache: " + e.getMessage());
            Files.deleteIfExists(cache);
        } finally {
            Files.writeString(config, plain);
        }
        if (Files.isRegularFile(cache)) {
            Files.writeString(config, withJavaOption(plain, "-XX:AOTCache=$APPDIR/" + NAME + ".aot"));
            System.out.printf("start-up cache: %s (%.1f MB)%n", cache.getFileName(), Files.size(cache) / 1e6);
        } else {
            System.out.println("The training run made no start-up cache; the image ships without one.");
        }
    }

    /**
     * A copy of the image without its start-up cache, for the installers that do not keep file times:
     * a cache whose jars' times differ is refused with a warning at every start. The .rpm was seen to
     * give them new times; the .msi and .dmg cannot be checked here, so they go without too. Only the
     * .deb, unpacked and rebuilt here with the times kept, ships the cache.
     */
    private Path withoutStartupCache(Path image) throws IOException {
        Path copy = work.resolve("image-without-cache").resolve(image.getFileName());
        deleteTree(copy.getParent());
        Files.createDirectories(copy.getParent());
        copyTree(image, copy);
        Path app = platform.appFolder(copy);
        Files.deleteIfExists(app.resolve(NAME + ".aot"));
        Path config = app.resolve(NAME + ".cfg");
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^java-options=-XX:AOTCache=.*\n", ""));
        return copy;
    }

    /** The launcher's configuration with one more JVM option in its [JavaOptions] section. */
    static String withJavaOption(String config, String option) {
        String section = "[JavaOptions]";
        int at = config.indexOf(section);
        if (at < 0) {
            return config.stripTrailing() + "\n\n" + section + "\njava-options=" + option + "\n";
        }
        int lineEnd = config.indexOf('\n', at);
        return config.substring(0, lineEnd + 1) + "java-options=" + option + "\n" + config.substring(lineEnd + 1);
    }

    private Path installer(Path image, String type) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--type", type,
                "--name", NAME,
                "--app-version", version,
                "--vendor", "Signalbox",
                "--description", "Chat with the people in a shared session",
                "--app-image", image.toString(),
                "--license-file", project.resolve("packaging/LICENSE").toString(),
                "--dest", dist.toString()));
        args.add("@" + platform.folder(project).resolve(type + ".args"));
        if (type.equals("deb")) {
            // The .deb is finished and compressed once, afterwards; jpackage's own pass stores it plain.
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "jpackage").toString());
            command.addAll(args);
            run(command, 10, "DPKG_DEB_COMPRESSOR_TYPE", "none");
        } else {
            tool("jpackage", args.toArray(String[]::new));
        }
        try (Stream<Path> made = Files.list(dist)) {
            return made.filter(p -> p.getFileName().toString().endsWith("." + type)).findFirst()
                    .orElseThrow(() -> new IOException("jpackage made no ." + type + " in " + dist));
        }
    }

    private void report(Path image) throws IOException {
        Path copy = dist.resolve(image.getFileName());
        copyTree(image, copy);
        System.out.printf("app image: %s (%.1f MB)%n", project.relativize(copy), treeSize(copy) / 1e6);
        try (Stream<Path> files = Files.list(dist)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                System.out.printf("installer: %s (%.1f MB)%n", project.relativize(file), Files.size(file) / 1e6);
            }
        }
    }

    // ---- tools and processes -------------------------------------------------------------------

    /** Runs a JDK tool in this JVM and returns what it printed; a failure stops the build with its output. */
    static String tool(String name, String... args) {
        ToolProvider provider = ToolProvider.findFirst(name)
                .orElseThrow(() -> new IllegalStateException("this JDK has no " + name));
        StringWriter out = new StringWriter();
        int code = provider.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
        if (code != 0) {
            throw new IllegalStateException(name + " failed (" + code + "):\n" + out);
        }
        return out.toString();
    }

    /** Runs a command, with optional environment pairs, and returns its output; failure or timeout throws. */
    static String run(List<String> command, long minutes, String... environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i + 1 < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + minutes + " min");
        }
        reader.join();
        String text = output.toString(StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    // ---- files ---------------------------------------------------------------------------------

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static long treeSize(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    // ---- platforms -----------------------------------------------------------------------------

    enum Platform {
        LINUX, WINDOWS, MACOS;

        static Platform current() {
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            if (os.contains("win")) return WINDOWS;
            if (os.contains("mac")) return MACOS;
            return LINUX;
        }

        Path folder(Path project) {
            return project.resolve("packaging").resolve(name().toLowerCase(Locale.ROOT));
        }

        String imageName(String name) {
            return this == MACOS ? name + ".app" : name;
        }

        Path appFolder(Path image) {
            return switch (this) {
                case LINUX -> image.resolve("lib/app");
                case WINDOWS -> image.resolve("app");
                case MACOS -> image.resolve("Contents/app");
            };
        }

        Path launcher(Path image, String name) {
            return switch (this) {
                case LINUX -> image.resolve("bin").resolve(name);
                case WINDOWS -> image.resolve(name + ".exe");
                case MACOS -> image.resolve("Contents/MacOS").resolve(name);
            };
        }
    }

    /**
     * Finishes jpackage's .deb the Debian way: the launcher on the PATH as /usr/bin/signalbox, the
     * menu entry and icons where desktops look for them (so the package owns them and removing it
     * removes them), and the whole payload compressed with xz.
     */
    static final class DebFinisher {
        private final Path project;
        private final Path work;
        private final Path image;
        private final Path deb;

        DebFinisher(Path project, Path work, Path image, Path deb) {
            this.project = project;
            this.work = work;
            this.image = image;
            this.deb = deb;
        }

        void finish() throws IOException, InterruptedException {
            Path tree = work.resolve("deb-tree");
            deleteTree(tree);
            run(List.of("dpkg-deb", "--raw-extract", deb.toString(), tree.toString()), 1);

            // The start-up cache holds each jar's and the runtime's size and time, and is ignored (with
            // a warning at every start) when they differ: jpackage's copy gave the files new times.
            Path installed = tree.resolve("opt/signalbox");
            try (Stream<Path> files = Files.walk(image)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path copy = installed.resolve(image.relativize(file).toString());
                    if (Files.isRegularFile(copy)) {
                        Files.setLastModifiedTime(copy, Files.getLastModifiedTime(file));
                    }
                }
            }

            Path bin = Files.createDirectories(tree.resolve("usr/bin"));
            Files.createSymbolicLink(bin.resolve(NAME), Path.of("/opt/signalbox/bin/signalbox"));

            Path linux = project.resolve("packaging/linux");
            Path applications = Files.createDirectories(tree.resolve("usr/share/applications"));
            Files.copy(linux.resolve("signalbox.desktop"), applications.resolve("signalbox.desktop"));
            Path icons = tree.resolve("usr/share/icons/hicolor");
            for (int size : new int[] {16, 32, 48, 64, 256}) {
                Path dir = Files.createDirectories(icons.resolve(size + "x" + size + "/apps"));
                Files.copy(project.resolve("src/main/resources/io/signalbox/app/signalbox-" + size + ".png"),
                        dir.resolve(NAME + ".png"));
            }
            Path scalable = Files.createDirectories(icons.resolve("scalable/apps"));
            Files.copy(project.resolve("assets/signalbox.svg"), scalable.resolve(NAME + ".svg"));

            // The control file's size field counts the payload, now a little larger.
            Path control = tree.resolve("DEBIAN/control");
            long kib = (treeSize(tree) - treeSize(tree.resolve("DEBIAN")) + 1023) / 1024;
            Files.writeString(control, Files.readString(control)
                    .replaceFirst("(?m)^Installed-Size: .*$", "Installed-Size: " + kib));

            Files.delete(deb);
            List<String> build = new ArrayList<>(List.of("dpkg-deb", "-Zxz", "--root-owner-group",
                    "--build", tree.toString(), deb.toString()));
            run(build, 20);
            System.out.println("finished " + deb.getFileName() + ": /usr/bin/signalbox, menu entry, icons");
        }
    }
}

package io.signalbox.cli;

import io.signalbox.app.SignalboxApp;
import io.signalbox.app.service.InviteLink;
import java.time.Duration;
import java.util.concurrent.Callable;
import javafx.application.Application;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code signalbox} command: with no command, the desktop app (on an invite link, when one is
 * given); else the headless server and the tools around it. A plain class (not a JavaFX
 * {@code Application}), so that the headless commands run without a display, and so that
 * {@code java -jar} starts it with JavaFX on the class path.
 */
@Command(name = "signalbox",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Signalbox: signaling for people in a shared session.",
                "With no command it opens the desktop app; with an invite link, the app joins that session."},
        subcommands = {
                ServerCommand.class,
                SessionCommand.class,
                TokenCommand.class,
                SignalCommand.class,
                JoinCommand.class,
                ChaosCommand.class,
                BenchCommand.class,
                SoakCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** The link to open the app on, or null; set by picocli. */
    @Parameters(arity = "0..1", paramLabel = "LINK",
            description = "an invite link, signalbox://join?url=URL&session=SID&token=T, to open the app on")
    private String link;

    /** Whether to run the headless self-test instead of opening the app; set by picocli. */
    @Option(names = "--self-test",
            description = "Checks this installation without a display: starts a server on a free loopback port,"
                    + " joins two clients, sends signals each way and through the REST API, prints a table of the"
                    + " checks, and exits 0 when all pass (1 otherwise), within 20 seconds.")
    private boolean selfTest;

    /** Whether to open the start screen, report how long it took, and quit; set by picocli. */
    @Option(names = "--startup-probe", hidden = true,
            description = "Opens the start screen, prints the time from process start to its first frame, and quits"
                    + " (the packaging's training run and start-up measurements use it).")
    private boolean startupProbe;

    /** The JDK's setting for how many carrier threads run the virtual threads. */
    static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    public static void main(String[] args) {
        String carriers = benchCarriers(args, Runtime.getRuntime().availableProcessors(),
                System.getProperty(CARRIERS_PROPERTY));
        // Read once, when the first virtual thread is made: so set before anything else runs.
        if (carriers != null) System.setProperty(CARRIERS_PROPERTY, carriers);
        System.exit(commandLine().execute(args));
    }

    /**
     * The carrier threads for the virtual threads of a {@code bench} run, or null to leave the JDK's
     * choice (one per processor) alone: for any other command, or when the user chose. The storm runs a
     * thousand SDK sessions in this one process, on virtual threads, which are never time-sliced: with
     * one carrier (the generator pinned to one processor) one session's burst of work holds up all the
     * others', as a thousand client machines never would. Four carriers per processor let the system
     * share it between them; the storm's time to flush fell from 4.2-4.5 s to 2.9-3.2 s (1000 sessions).
     */
    static String benchCarriers(String[] args, int processors, String chosen) {
        if (chosen != null || args.length == 0 || !args[0].equals("bench")) return null;
        return Integer.toString(4 * processors);
    }

    /** The command line with every subcommand, as {@code main} runs it; tests run it too. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * Opens the desktop app, on the link when there is one; returns when its last window has closed.
     * With {@code --self-test}, runs the headless self-test instead, which never touches JavaFX.
     */
    @Override
    public Integer call() {
        if (selfTest) {
            if (link != null) {
                spec.commandLine().getErr().println("signalbox: --self-test takes no invite link.");
                return CommandLine.ExitCode.USAGE;
            }
            return new SelfTest(System.out, Duration.ofSeconds(20)).run();
        }
        if (link != null) {
            if (!InviteLink.looksLikeLink(link)) {
                spec.commandLine().getErr().println("signalbox: '" + link + "' is neither a command nor an invite link."
                        + " An invite link starts with signalbox://join? and 'signalbox --help' lists the commands.");
                return CommandLine.ExitCode.USAGE;
            }
            try {
                InviteLink.parse(link);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("signalbox: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
        try {
            if (startupProbe) {
                Application.launch(SignalboxApp.class, SignalboxApp.STARTUP_PROBE);
            } else if (link == null) {
                Application.launch(SignalboxApp.class);
            } else {
                Application.launch(SignalboxApp.class, link);
            }
            return CommandLine.ExitCode.OK;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // The toolkit could not start, typically for want of a display: say what the app needs.
            spec.commandLine().getErr().println("signalbox: the desktop app could not open a window ("
                    + e.getMessage() + "). It needs a graphical desktop, and on Linux the GTK 3 library"
                    + " (libgtk-3-0). The other commands work without one: see 'signalbox --help'.");
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"signalbox " + (version == null ? "development" : version)};
        }
    }
}

package io.signalbox.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code signalbox} command: the headless server and the tools around it. A plain class (not a
 * JavaFX {@code Application}), so that the headless commands run without a display.
 */
@Command(name = "signalbox",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Signalbox: signaling for people in a shared session.",
        subcommands = {
                ServerCommand.class,
                SessionCommand.class,
                TokenCommand.class,
                SignalCommand.class,
                JoinCommand.class,
                ChaosCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, as {@code main} runs it; tests run it too. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
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

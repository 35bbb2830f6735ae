package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.runtime.Versions;
import dev.ser4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code ./ser4j} command line. A user's mistake (bad flag, missing or malformed file) is one sentence on
 * stderr and exit status 2; an unexpected failure is one sentence and status 1 (with the stack trace only when
 * {@code SER4J_DEBUG=1}).
 */
@Command(name = "ser4j", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Speech emotion recognition for the JVM: MSCNN-SPU-ATT (ICASSP 2021).",
        subcommands = {DemoCommand.class, CvCommand.class, ExperimentCommand.class, TrainCommand.class, EvaluateCommand.class,
                PredictCommand.class, ServeCommand.class, BenchCommand.class, FeaturesCommand.class, SynthCommand.class, GradCommand.class, ExportCommand.class, InfoCommand.class,
                GpuCheckCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed (demo, test, grad, ...; see ./ser4j --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status (used by tests too). */
    public static int run(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /**
     * Runs {@code cl} with the command line's handling of errors (shared with {@link DeviceMain} and ser4j-spark's
     * {@code ./ser4j spark}).
     */
    public static int execute(CommandLine cl, String... args) {
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            String cmd = ex.getCommandLine().getCommandSpec().qualifiedName(" ");
            err.println("ser4j: " + ex.getMessage() + " (" + cmd.replaceFirst("^ser4j", "./ser4j") + " --help lists the options)");
            return EXIT_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof InputException) {
                err.println("ser4j: " + ex.getMessage());
                return EXIT_INPUT;
            }
            if (ex instanceof Trainer.Interrupted) return 130;            // Ctrl-C; the message is already out
            if (ex instanceof dev.ser4j.core.TrainingException) {
                err.println("ser4j: " + ex.getMessage());
                return 1;
            }
            if (ex instanceof UncheckedIOException u) ex = u.getCause();
            if (ex instanceof IOException) {
                err.println("ser4j: " + ex.getMessage() + " (" + ex.getClass().getSimpleName() + ")");
                return 1;
            }
            err.println("ser4j: internal error: " + ex + (debug() ? "" : " (SER4J_DEBUG=1 shows the stack trace)"));
            if (debug()) ex.printStackTrace(err);
            return 1;
        });
        return cl.execute(args);
    }

    static boolean debug() {
        return "1".equals(System.getenv("SER4J_DEBUG"));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ser4j " + Versions.ser4j() + " (commit " + Versions.commit() + ") on Java " + Runtime.version()};
        }
    }
}

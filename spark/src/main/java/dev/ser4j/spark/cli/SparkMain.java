package dev.ser4j.spark.cli;

import dev.ser4j.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./ser4j spark}: batch prediction and cross-validation on Apache Spark. The launcher runs it on the class
 * path with Spark's jars and the JVM options Spark needs; {@code spark-submit --class dev.ser4j.spark.cli.SparkMain}
 * runs it on a cluster. Errors are reported as the rest of the command line reports them (exit 2 for a user's
 * mistake).
 */
@Command(name = "ser4j spark", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = SparkMain.Version.class,
        description = "ser4j on Apache Spark: batch prediction over many recordings, and cross-validation with one (fold, run) per task.",
        subcommands = {SparkPredictCommand.class, SparkCvCommand.class, SparkExperimentCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed (predict, cv or experiment)");
    }

    public static void main(String[] args) {
        quietSpark();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status (used by tests too). */
    public static int run(String... args) {
        return Main.execute(new CommandLine(new SparkMain()), args);
    }

    /**
     * Spark logs every step at INFO; here only warnings and errors are shown, unless a logging configuration is
     * given or spark-submit (which sets {@code spark.master}) runs the command with the cluster's own.
     */
    static void quietSpark() {
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("spark.master") != null) return;
        var config = SparkMain.class.getResource("log4j2.properties");
        if (config != null) System.setProperty("log4j2.configurationFile", config.toString());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SparkMain.class.getPackage().getImplementationVersion();
            return new String[]{"ser4j-spark " + (v == null ? "(development build)" : v) + " with Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                    + " on Java " + Runtime.version()};
        }
    }
}

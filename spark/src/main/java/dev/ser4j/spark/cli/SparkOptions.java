package dev.ser4j.spark.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.spark.SparkCrossValidation;
import dev.ser4j.train.CrossValidation;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Where Spark runs: {@code --master} and {@code --conf}, shared by the spark subcommands. */
public final class SparkOptions {
    /** The master when neither --master nor spark-submit names one: two cores of this machine. */
    static final String LOCAL = "local[2]";

    @Option(names = "--master", paramLabel = "URL", description = {"Spark master: local[N] (N threads here), spark://HOST:PORT, yarn, k8s://...",
            "(default: spark-submit's master, else " + LOCAL + ")."})
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=8g.")
    List<String> conf = new ArrayList<>();

    /** The master in use: --master, else spark-submit's, else {@value #LOCAL}. */
    String master() {
        if (master != null) return master;
        String submitted = new SparkConf().get("spark.master", null);
        return submitted != null ? submitted : LOCAL;
    }

    /** A Spark session, and whether the command started it (and so stops it). */
    record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) spark.stop();
        }
    }

    /**
     * The session to run on: the JVM's active one when there is one (a program or test that calls the command line
     * keeps its session, and its --master and --conf), else a new one for {@code app} on {@link #master()} with the
     * --conf settings, Spark's web UI off in local mode unless set.
     */
    Session session(String app) {
        var active = SparkSession.getActiveSession();
        if (active.isEmpty()) active = SparkSession.getDefaultSession();
        if (active.isDefined()) return new Session(active.get(), false);
        SparkSession.Builder b = SparkSession.builder().appName(app).master(master());
        if (master().startsWith("local")) b.config("spark.ui.enabled", "false");
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new InputException("--conf", "'" + kv + "' is not KEY=VALUE");
            b.config(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return new Session(b.getOrCreate(), true);
    }

    /** The session {@link #runs} opened, which {@link #closing} closes. */
    private Session opened;

    /**
     * Who carries out the (fold, run)s of spark cv and spark experiment: Spark tasks on a session opened the first
     * time it is asked (a command refused before any run opens none).
     */
    CrossValidation.Runs runs(String app) {
        if (opened == null) opened = session(app);
        return new SparkCrossValidation(opened.spark());
    }

    /** Calls {@code command}, then closes the session {@link #runs} opened for it, if any. */
    Integer closing(Callable<Integer> command) throws Exception {
        try {
            return command.call();
        } finally {
            if (opened != null) opened.close();
            opened = null;
        }
    }
}

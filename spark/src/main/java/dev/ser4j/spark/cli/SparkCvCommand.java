package dev.ser4j.spark.cli;

import dev.ser4j.cli.CvCommand;
import dev.ser4j.train.CrossValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./ser4j spark cv}: {@code cv} with every option of it, its data preparation (on the driver, through the
 * feature cache), its report and its resume, and the (fold, run)s carried out as Spark tasks
 * ({@link dev.ser4j.spark.SparkCrossValidation}).
 */
@Command(name = "cv", sortOptions = false, description = {"Cross-validate one model as cv does, one (fold, run) per Spark task.",
        "The same options, run directory and report as cv; the features are prepared once on the driver and broadcast."})
public final class SparkCvCommand extends CvCommand {
    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        return spark.closing(super::call);
    }

    @Override
    protected String runName() {
        return "spark cv";
    }

    @Override
    protected CvCommand fresh() {
        return new SparkCvCommand();
    }

    @Override
    protected CrossValidation.Runs runner() {
        return spark.runs("ser4j " + runName());
    }
}

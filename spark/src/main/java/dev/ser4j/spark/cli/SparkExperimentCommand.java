package dev.ser4j.spark.cli;

import dev.ser4j.cli.ExperimentCommand;
import dev.ser4j.train.CrossValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./ser4j spark experiment}: {@code experiment} with each row's (fold, run)s carried out as Spark tasks. */
@Command(name = "experiment", sortOptions = false, description = {"Run a table of the paper as experiment does, one (fold, run) per Spark task.",
        "The same options, directories, reports and table as experiment."})
public final class SparkExperimentCommand extends ExperimentCommand {
    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        return spark.closing(super::call);
    }

    @Override
    protected String runName() {
        return "spark experiment";
    }

    @Override
    protected ExperimentCommand fresh() {
        return new SparkExperimentCommand();
    }

    @Override
    protected CrossValidation.Runs runner() {
        return spark.runs("ser4j " + runName());
    }
}

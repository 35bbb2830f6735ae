package dev.ser4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of the device bundle ({@code ./ser4j bundle}, {@code bench/device/}): {@code info} and
 * {@code gpu-check} alone, so that it runs on a class path of the library, this jar, picocli and Jackson, without the
 * plotting, progress-bar and corpus jars the other commands need (and the Java modules those need).
 */
@Command(name = "ser4j-device", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "ser4j's GPU check, as bundled for a machine without a JDK.",
        subcommands = {InfoCommand.class, GpuCheckCommand.class, CommandLine.HelpCommand.class})
public final class DeviceMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: info or gpu-check");
    }

    public static void main(String[] args) {
        System.exit(Main.execute(new CommandLine(new DeviceMain()), args));
    }
}

package dev.ser4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** What a new user reads first: {@code ./ser4j --help} and {@code ./ser4j <command> --help}. */
class CommandLineHelpTest {
    static final CommandLine CL = new CommandLine(new Main());

    /** Every subcommand of ./ser4j but picocli's own {@code help}. */
    static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> m = new LinkedHashMap<>();
        CL.getSubcommands().forEach((name, cl) -> {
            if (!name.equals("help")) m.put(name, cl.getCommandSpec());
        });
        return m;
    }

    /** The command list of {@code ./ser4j --help}: each command's text, its wrapped lines joined. */
    static Map<String, String> listed(String help) {
        Map<String, String> entries = new LinkedHashMap<>();
        String current = null;
        boolean inCommands = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
                continue;
            }
            if (!inCommands) continue;
            if (line.matches("  \\S.*")) {
                String[] parts = line.strip().split("\\s+", 2);
                current = parts[0];
                entries.put(current, parts.length > 1 ? parts[1] : "");
            } else if (current != null) {
                entries.put(current, entries.get(current) + " " + line.strip());
            }
        }
        return entries;
    }

    @Test
    void theCommandListShowsEachCommandAsAWholeSentence() {
        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j("--help");
        assertEquals(0, r.code(), r.err());
        Map<String, String> listed = listed(r.out());
        assertEquals(commands().keySet(), new java.util.LinkedHashSet<>(listed.keySet().stream().filter(n -> !n.equals("help")).toList()), r.out());
        commands().forEach((name, spec) -> {
            String text = listed.get(name);
            assertTrue(text.endsWith("."), name + " is listed mid-sentence: '" + text + "'");
            assertEquals(spec.usageMessage().description()[0], text, name + ": the list shows the description's first line, which must be whole");
        });
    }

    @Test
    void everyOptionAndParameterSaysWhatItIsInWholeSentences() {
        List<String> problems = new ArrayList<>();
        commands().forEach((name, spec) -> {
            for (String line : spec.usageMessage().description())
                if (!line.endsWith(".")) problems.add(name + ": description line '" + line + "' is not a whole sentence");
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec a : args) {
                String what = name + " " + (a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel());
                String[] d = a.description();
                if (d.length == 0 || d[0].isBlank()) problems.add(what + " has no description");
                else if (d.length > 1) problems.add(what + ": its description is " + d.length + " lines (picocli breaks the text at each)");
                else if (!d[0].endsWith(".") && !d[0].endsWith(".)")) problems.add(what + ": '" + d[0] + "' does not end a sentence");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void noHelpShowsANullDefault() {
        for (String name : commands().keySet()) {
            PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j(name, "--help");
            assertEquals(0, r.code(), name);
            assertFalse(r.out().contains("null"), name + " --help:\n" + r.out());
        }
    }

    @Test
    void variantDefaultIsTheModelTrainAndCvBuild() {
        for (String name : new String[]{"train", "cv"}) {
            String help = PipelineEndToEndTest.ser4j(name, "--help").out().replaceAll("\\s+", " ");
            assertTrue(help.contains("mscnn-spu or mscnn-spu-att (default: mscnn-spu-att)."), name + ": " + help);
        }
    }

    @Test
    void evaluateOffersOnlyTheFlagsThatApplyToATrainedModel() {
        CommandSpec evaluate = commands().get("evaluate");
        for (String training : new String[]{"--glove", "--freeze-embeddings", "--classes", "--xvector-dim", "--variant", "--recipe", "--epochs",
                "--no-swem"})
            assertNull(evaluate.findOption(training), "evaluate takes " + training + " from the model, or it does not apply");
        for (String applies : new String[]{"--model", "--data", "--xvectors", "--xvector-missing", "--asr-transcripts", "--cache", "--threads",
                "--strict", "--backend", "--out"})
            assertNotNull(evaluate.findOption(applies), applies);
        for (String trains : new String[]{"train", "cv", "experiment"})
            for (String o : new String[]{"--glove", "--freeze-embeddings", "--classes", "--xvector-dim", "--xvectors", "--data", "--cache"})
                assertNotNull(commands().get(trains).findOption(o), trains + " " + o);
        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j("evaluate", "--model", "m.safetensors", "--data", "manifest:x.tsv", "--out", "o",
                "--glove", "g.txt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option") && r.err().contains("'--glove'"), r.err());
    }

    @Test
    void everyModelOptionIsDescribed() {
        Set<String> seen = new java.util.HashSet<>();
        commands().forEach((name, spec) -> {
            CommandLine.Model.OptionSpec o = spec.findOption("--model");
            if (o == null) return;
            seen.add(name);
            assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), name + " --model");
        });
        assertEquals(Set.of("evaluate", "export", "predict", "serve"), seen);
    }
}

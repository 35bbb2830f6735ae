package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reading of a corpus whose labels are in the names of its WAV files, all in one folder (CREMA-D, EmoDB): each
 * name matched against the corpus's pattern and its codes checked by the corpus; a file named otherwise, with a code
 * outside the corpus's, or repeating an utterance id is reported and skipped (fatal with {@code --strict}).
 */
final class NamedWavs {
    private NamedWavs() {}

    /** What a corpus makes of one file whose name matched. */
    @FunctionalInterface
    interface Parser {
        /** The utterance of {@code wav}, whose name matched as {@code m}; null when a code is outside the corpus's. */
        Utterance parse(Matcher m, Path wav);
    }

    /**
     * Reads {@code root/folder} (or {@code root} when it has no such folder).
     *
     * @param corpus   the corpus's name in messages ({@code CREMA-D})
     * @param file     the pattern a file's name matches
     * @param pattern  that pattern as a user reads it ({@code AAAA_SSS_EEE_LL.wav})
     * @param badCodes why a matching file whose {@code parser} returns null is skipped
     */
    static Dataset read(Path root, String name, DatasetOptions options, String folder, String corpus, Pattern file, String pattern,
                        String badCodes, Parser parser) {
        Path dir = Folders.within(root, folder);
        List<Path> wavs = Folders.list(dir, Folders::isWav);
        if (wavs.isEmpty())
            throw new InputException(name, dir + " has no WAV files; expected " + corpus + "'s " + folder + "/" + pattern
                    + " (or those files in " + root + ")");
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path wav : wavs) {
            Matcher m = file.matcher(wav.getFileName().toString());
            if (!m.matches()) {
                report.skip(wav.toString(), "is not named like " + corpus + "'s " + pattern);
                continue;
            }
            Utterance u = parser.parse(m, wav);
            if (u == null) {
                report.skip(wav.toString(), badCodes);
                continue;
            }
            Path prior = ids.putIfAbsent(u.id(), wav);
            if (prior != null) {
                report.skip(wav.toString(), "repeats the utterance id of " + prior);
                continue;
            }
            utterances.add(u);
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, new TreeMap<>());
    }
}

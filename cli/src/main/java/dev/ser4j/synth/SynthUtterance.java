package dev.ser4j.synth;

import dev.ser4j.synth.CorpusSpec.Prosody;
import dev.ser4j.synth.CorpusSpec.Speaker;
import dev.ser4j.synth.Lexicon.TextType;

import java.util.List;
import java.util.Locale;

/**
 * Everything drawn for utterance i of a corpus (docs/corpus.md, A2 and A4): who says it, with which emotion, the
 * words, espeak-ng's settings, and the post-processing. A function of (corpus seed, i) only.
 *
 * @param template  the template's list and 1-based number, e.g. {@code angry.07} or {@code news.11}
 * @param voice     espeak-ng's -v argument
 * @param pitch     -p (0..99)
 * @param range     SSML prosody range in percent (-90..+100)
 * @param speed     -s, words per minute (80..350)
 * @param gap       -g, word gap in units of 10 ms
 * @param tilt      t of the tilt filter y[n] = x[n] - t x[n-1], in [-0.8, 0.8]
 * @param loudDb    digital gain on the speech
 * @param snrDb     speech-to-noise ratio before the loudness gain
 * @param noiseSeed seed of the noise stream
 */
record SynthUtterance(int index, String id, Speaker speaker, Emotion emotion, TextType textType, String template,
                 String transcript, String voice, int pitch, int range, int speed, int gap, double tilt, double loudDb,
                 double snrDb, long noiseSeed) {

    /** Draws utterance {@code i}, in the prototype's order: text type, template, fillers, then the prosody and noise. */
    static SynthUtterance draw(long corpusSeed, int i) {
        Emotion emotion = CorpusSpec.EMOTIONS.get(i % CorpusSpec.EMOTIONS.size());
        Speaker s = CorpusSpec.SPEAKERS.get((i / CorpusSpec.EMOTIONS.size()) % CorpusSpec.SPEAKERS.size());
        Prosody p = CorpusSpec.prosody(emotion);
        Draws d = Draws.forUtterance(corpusSeed, i);

        double u = d.uniform();
        TextType type = u < CorpusSpec.SPECIFIC_BELOW ? TextType.SPECIFIC : u < CorpusSpec.VALENCE_BELOW ? TextType.VALENCE : TextType.AMBIGUOUS;
        Lexicon.Templates list = Lexicon.templates(type, emotion);
        int t = d.index(list.list().size());
        String transcript = Lexicon.fill(list.list().get(t), d);

        int pitch = Math.clamp(Math.round(s.pitch() + d.normal(p.pitchMean(), p.pitchSd())), CorpusSpec.PITCH_MIN, CorpusSpec.PITCH_MAX);
        int range = Math.clamp(Math.round(s.range() + d.normal(p.rangeMean(), p.rangeSd())), CorpusSpec.RANGE_MIN, CorpusSpec.RANGE_MAX);
        int speed = Math.clamp(Math.round(s.wpm() * d.normal(p.rateMean(), p.rateSd())), CorpusSpec.SPEED_MIN, CorpusSpec.SPEED_MAX);
        int gap = p.gapMax() == 0 ? 0 : d.integer(0, p.gapMax());
        double tilt = Math.clamp(d.normal(p.tiltMean(), p.tiltSd()), -CorpusSpec.TILT_LIMIT, CorpusSpec.TILT_LIMIT);
        double loudDb = d.normal(p.loudMean(), p.loudSd());
        double snrDb = d.uniform(CorpusSpec.SNR_MIN_DB, CorpusSpec.SNR_MAX_DB);
        long noiseSeed = d.seed();

        String id = String.format(Locale.ROOT, "%s_%05d", s.id(), i);
        return new SynthUtterance(i, id, s, emotion, type, String.format(Locale.ROOT, "%s.%02d", list.name(), t + 1), transcript,
                Espeak.voice(s.voice()), pitch, range, speed, gap, tilt, loudDb, snrDb, noiseSeed);
    }

    /** The WAV's path relative to the corpus root, with '/'. */
    String path() {
        return "wav/" + speaker.id() + "/" + id + ".wav";
    }

    /** This utterance's manifest.tsv line (without the newline). */
    String manifestLine() {
        return String.join("\t", id, speaker.id(), emotion.id(), transcript, path());
    }

    /** manifest.tsv's header. */
    static final List<String> MANIFEST_COLUMNS = List.of("id", "speaker", "emotion", "transcript", "path");

    /** meta.tsv's header (the prototype's columns, A6). */
    static final List<String> META_COLUMNS = List.of("id", "speaker", "session", "gender", "emotion", "text_type", "template",
            "voice", "pitch", "range", "speed", "amp", "gap", "tilt", "loud_db", "level_db", "snr_db", "duration_s");

    /** This utterance's meta.tsv line, given the duration of its WAV. */
    String metaLine(double seconds) {
        return String.join("\t", id, speaker.id(), Integer.toString(speaker.session()), String.valueOf(speaker.gender()),
                emotion.id(), textType.id(), template, voice, Integer.toString(pitch), Integer.toString(range),
                Integer.toString(speed), Integer.toString(speaker.amp()), Integer.toString(gap),
                String.format(Locale.ROOT, "%.3f", tilt), String.format(Locale.ROOT, "%.2f", loudDb),
                String.format(Locale.ROOT, "%.1f", speaker.levelDb()), String.format(Locale.ROOT, "%.2f", snrDb),
                String.format(Locale.ROOT, "%.3f", seconds));
    }
}

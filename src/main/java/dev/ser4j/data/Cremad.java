package dev.ser4j.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CREMA-D corpus (Cao et al. 2014, Crowd-sourced Emotional Multimodal Actors Dataset) in its release layout
 * ({@code cremad:DIR}): {@code DIR/AudioWAV/AAAA_SSS_EEE_LL.wav}, or the WAVs directly in {@code DIR} when it has no
 * {@code AudioWAV} folder (16 kHz mono). The fields: AAAA the actor, 1001 to 1091; SSS the sentence; EEE the emotion
 * the actor was asked to express ({@code ANG} angry, {@code DIS} disgust, {@code FEA} fearful, {@code HAP} happy,
 * {@code NEU} neutral, {@code SAD} sad), the label (the crowd's ratings in {@code processedResults} are not read);
 * LL the intensity ({@code LO}, {@code MD}, {@code HI}, or {@code XX} unspecified), ignored. A WAV file not named
 * so, or with a code outside these, is reported and skipped (fatal with {@code --strict}); other files (such as
 * {@code VideoDemographics.csv}) are ignored.
 *
 * <p>The speaker and the session are the actor ({@code 1001}). The transcript is the sentence of SSS: {@code IEO}
 * "It's eleven o'clock.", {@code TIE} "That is exactly what happened.", {@code IOM} "I'm on my way to the meeting.",
 * {@code IWW} "I wonder what this is about.", {@code TAI} "The airplane is almost full.", {@code MTI} "Maybe tomorrow
 * it will be cold.", {@code IWL} "I would like a new alarm clock.", {@code ITH} "I think I have a doctor's
 * appointment.", {@code DFA} "Don't forget a jacket.", {@code ITS} "I think I've seen this before.", {@code TSI} "The
 * surface is slick.", {@code WSI} "We'll stop in a couple of minutes."; as on RAVDESS, every emotion speaks the same
 * sentences, so the text branch is a control. The full corpus has 7442 clips of 91 actors (48 male, 43 female):
 * angry, disgust, fearful, happy and sad 1271 each, neutral 1087 (the paper's four classes: 4900).
 *
 * <p>EmoBox's folds for CREMA-D are utterance-level, every actor in every fold, so {@code --folds emobox} is refused
 * ({@link Dataset#emoboxNone()}); {@code --folds speaker} tests each actor once.
 */
public final class Cremad {
    private Cremad() {}

    static final Pattern FILE = Pattern.compile("(\\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})\\.(?i:wav)");
    static final String PATTERN = "AAAA_SSS_EEE_LL.wav";
    static final Map<String, String> SENTENCES = Map.ofEntries(
            Map.entry("IEO", "It's eleven o'clock."), Map.entry("TIE", "That is exactly what happened."),
            Map.entry("IOM", "I'm on my way to the meeting."), Map.entry("IWW", "I wonder what this is about."),
            Map.entry("TAI", "The airplane is almost full."), Map.entry("MTI", "Maybe tomorrow it will be cold."),
            Map.entry("IWL", "I would like a new alarm clock."), Map.entry("ITH", "I think I have a doctor's appointment."),
            Map.entry("DFA", "Don't forget a jacket."), Map.entry("ITS", "I think I've seen this before."),
            Map.entry("TSI", "The surface is slick."), Map.entry("WSI", "We'll stop in a couple of minutes."));
    static final Map<String, String> EMOTIONS = Map.of("ANG", "angry", "DIS", "disgust", "FEA", "fearful", "HAP", "happy",
            "NEU", "neutral", "SAD", "sad");
    static final Set<String> INTENSITIES = Set.of("LO", "MD", "HI", "XX");
    static final String NO_EMOBOX = "EmoBox's folds for CREMA-D are utterance-level (every speaker in every fold), not speaker-independent";

    /** Reads {@code DIR/AudioWAV} (or {@code DIR}); a WAV file not named like CREMA-D's is reported and skipped. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        return NamedWavs.read(root, name, options, "AudioWAV", "CREMA-D", FILE, PATTERN, "has a code outside CREMA-D's (actor 1001-1091,"
                + " sentence IEO TIE IOM IWW TAI MTI IWL ITH DFA ITS TSI WSI, emotion ANG DIS FEA HAP NEU SAD, intensity LO MD HI XX)", (m, wav) -> {
            int actor = Integer.parseInt(m.group(1));
            String sentence = SENTENCES.get(m.group(2)), emotion = EMOTIONS.get(m.group(3));
            if (actor < 1001 || actor > 1091 || sentence == null || emotion == null || !INTENSITIES.contains(m.group(4))) return null;
            return new Utterance(Folders.stem(wav), m.group(1), m.group(1), wav, sentence, emotion);
        }).withoutEmobox(NO_EMOBOX);
    }
}

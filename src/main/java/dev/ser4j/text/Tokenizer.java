package dev.ser4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a transcript into lower-case word tokens the way NLTK's {@code word_tokenize} does: sentences first,
 * then the Penn Treebank rules of NLTK's {@code TreebankWordTokenizer} on each sentence ({@code don't} →
 * {@code do n't}, {@code can't} → {@code ca n't}, {@code I'm} → {@code i 'm}; commas, colons, {@code ?},
 * {@code !}, {@code ;}, {@code --}, brackets and the sentence-final period become tokens of their own; double
 * quotes become {@code ``} and {@code ''}).
 *
 * <p>Before that, IEMOCAP's bracketed non-speech markers ({@code [LAUGHTER]}, {@code [BREATHING]},
 * {@code [GARBAGE]}, any {@code [...]}) are dropped, typographic quotes ({@code ’ ‘ “ ”}) become ASCII ones, and
 * the text is lower-cased (after sentence splitting, which does not look at case).
 *
 * <p>Sentence splitting is a small stand-in for NLTK's Punkt: a word ending in a single period (optionally
 * followed by closing quotes or brackets) ends a sentence when more text follows, unless it is a common
 * abbreviation ({@code Mr.}, {@code Dr.}, {@code etc.}, ...) or initials ({@code J.}, {@code U.S.},
 * {@code p.m.}). Its only effect is that such periods become tokens, as the last period
 * does; {@code ?} and {@code !} are split anywhere. The rules are tested against NLTK 3.8's output in
 * {@code TokenizerTest} (table made by {@code src/test/python/treebank_golden.py}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Tokenizer {
    private Tokenizer() {}

    private static final int U = Pattern.UNICODE_CHARACTER_CLASS;

    /** A regular-expression substitution with Java's replacement syntax. */
    private record Rule(Pattern pattern, String replacement) {
        Rule(String regex, String replacement) {
            this(Pattern.compile(regex, U), replacement);
        }

        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }

    /** IEMOCAP's non-speech markers: anything in square brackets. */
    private static final Pattern MARKER = Pattern.compile("\\[[^\\[\\]]*\\]");
    private static final Pattern WORD = Pattern.compile("\\S+", U);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", U);
    /** A word that ends a sentence: one final period, then optional closing quotes or brackets. */
    private static final Pattern SENTENCE_END = Pattern.compile("(.*[^.])\\.[\\])}>\"']*", U);
    /** {@code J}, {@code U.S}, {@code p.m}: single letters separated by periods (the last period removed). */
    private static final Pattern INITIALS = Pattern.compile("(\\p{L}\\.)*\\p{L}");
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "mt", "inc", "ltd", "co", "corp",
            "sgt", "capt", "col", "gen", "lt", "rev", "hon", "gov", "sen", "ave", "blvd", "approx");

    // Treebank rules, in NLTK's order; each list is applied top to bottom.
    private static final List<Rule> STARTING_QUOTES = List.of(
            new Rule("^\"", "``"),
            new Rule("(``)", " $1 "),
            new Rule("([ (\\[{<])(\"|'{2})", "$1 `` "));

    private static final List<Rule> PUNCTUATION = List.of(
            new Rule("([:,])([^\\d])", " $1 $2"),
            new Rule("([:,])$", " $1 "),
            new Rule("\\.\\.\\.", " ... "),
            new Rule("[;@#$%&]", " $0 "),
            new Rule("([^.])(\\.)([\\])}>\"']*)\\s*$", "$1 $2$3 "),   // the final period
            new Rule("[?!]", " $0 "),
            new Rule("([^'])' ", "$1 ' "));

    private static final Rule BRACKETS = new Rule("[\\]\\[(){}<>]", " $0 ");
    private static final Rule DOUBLE_DASHES = new Rule("--", " -- ");

    private static final List<Rule> ENDING_QUOTES = List.of(
            new Rule("''", " '' "),
            new Rule("\"", " '' "),
            new Rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
            new Rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "));

    /** Robert MacIntyre's contractions, as NLTK lists them. */
    private static final List<Rule> CONTRACTIONS = List.of(
            new Rule("(?i)\\b(can)(not)\\b", " $1 $2 "),
            new Rule("(?i)\\b(d)('ye)\\b", " $1 $2 "),
            new Rule("(?i)\\b(gim)(me)\\b", " $1 $2 "),
            new Rule("(?i)\\b(gon)(na)\\b", " $1 $2 "),
            new Rule("(?i)\\b(got)(ta)\\b", " $1 $2 "),
            new Rule("(?i)\\b(lem)(me)\\b", " $1 $2 "),
            new Rule("(?i)\\b(more)('n)\\b", " $1 $2 "),
            new Rule("(?i)\\b(wan)(na)(?=\\s)", " $1 $2 "),
            new Rule("(?i) ('t)(is)\\b", " $1 $2 "),
            new Rule("(?i) ('t)(was)\\b", " $1 $2 "));

    /** The lower-case tokens of a transcript; an empty list for an empty (or markers-only) transcript. */
    public static List<String> tokenize(String transcript) {
        String text = stripMarkers(transcript)
                .replace('\u2019', '\'').replace('\u2018', '\'')
                .replace('\u201c', '"').replace('\u201d', '"');
        List<String> tokens = new ArrayList<>();
        for (String sentence : sentences(text)) {
            String t = treebank(sentence.strip().toLowerCase(Locale.ROOT)).strip();
            if (!t.isEmpty()) tokens.addAll(List.of(WHITESPACE.split(t)));
        }
        return tokens;
    }

    /** The transcript without IEMOCAP's bracketed non-speech markers ({@code [LAUGHTER]} etc.). */
    public static String stripMarkers(String transcript) {
        return MARKER.matcher(transcript).replaceAll(" ");
    }

    /** Cuts after each word that ends a sentence with a period (see the class comment). */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        Matcher w = WORD.matcher(text);
        int start = 0;
        while (w.find()) {
            Matcher end = SENTENCE_END.matcher(w.group());
            if (end.matches() && !isAbbreviation(end.group(1))) {
                out.add(text.substring(start, w.end()));
                start = w.end();
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    private static boolean isAbbreviation(String beforePeriod) {
        String word = beforePeriod.replaceFirst("^[^\\p{L}\\p{N}]+", "").toLowerCase(Locale.ROOT);
        return INITIALS.matcher(word).matches() || ABBREVIATIONS.contains(word);
    }

    /** NLTK's TreebankWordTokenizer on one sentence, returning the tokens separated by spaces. */
    static String treebank(String text) {
        for (Rule r : STARTING_QUOTES) text = r.apply(text);
        for (Rule r : PUNCTUATION) text = r.apply(text);
        text = BRACKETS.apply(text);
        text = DOUBLE_DASHES.apply(text);
        text = " " + text + " ";
        for (Rule r : ENDING_QUOTES) text = r.apply(text);
        for (Rule r : CONTRACTIONS) text = r.apply(text);
        return text;
    }
}

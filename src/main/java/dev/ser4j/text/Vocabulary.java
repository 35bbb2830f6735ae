package dev.ser4j.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ser4j.core.InputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The word ↔ id table of the text branch: id 0 is PAD ({@code <pad>}), id 1 is UNK ({@code <unk>}), then the
 * training words by descending count, ties in alphabetical (UTF-16) order, so the same transcripts always give
 * the same ids. Built with an optional maximum size (PAD and UNK included) and minimum count.
 *
 * <p>A vocabulary built from transcripts also keeps each word's training count, the number of training
 * tokens that fell to UNK and the total, for the embedding coverage report; one read back from a checkpoint
 * ({@link #fromJson}) has only the words (every count 0). Immutable.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final String PAD_TOKEN = "<pad>";
    public static final String UNK_TOKEN = "<unk>";
    /** The model's {@code maxTokens}: longer transcripts are cut at the end. */
    public static final int MAX_TOKENS = 128;
    /** Larger vocabularies in a checkpoint are rejected as damaged (GloVe 840B itself has 2.2 million words). */
    static final int MAX_SIZE = 10_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> words;
    private final Map<String, Integer> ids;
    private final long[] counts;
    private final long trainingTokens;

    private Vocabulary(List<String> words, long[] counts, long trainingTokens) {
        this.words = List.copyOf(words);
        this.counts = counts;
        this.trainingTokens = trainingTokens;
        Map<String, Integer> m = HashMap.newHashMap(words.size());
        for (int i = 0; i < words.size(); i++) m.put(words.get(i), i);
        this.ids = Collections.unmodifiableMap(m);
    }

    /** Every training word, however rare. */
    public static Vocabulary build(Iterable<? extends List<String>> transcripts) {
        return build(transcripts, Integer.MAX_VALUE, 1);
    }

    /**
     * The vocabulary of tokenized training transcripts: at most {@code maxSize} entries including PAD and UNK,
     * only words seen at least {@code minCount} times. The reserved names {@code <pad>} and {@code <unk>} are
     * never words (the tokenizer cannot produce them: it splits off {@code <} and {@code >}).
     */
    public static Vocabulary build(Iterable<? extends List<String>> transcripts, int maxSize, int minCount) {
        if (maxSize < 2) throw new IllegalArgumentException("vocabulary size " + maxSize + ": at least 2 (PAD and UNK)");
        if (minCount < 1) throw new IllegalArgumentException("minimum count " + minCount + ": at least 1");
        Map<String, long[]> freq = new HashMap<>();
        long total = 0, unk = 0;
        for (List<String> tokens : transcripts)
            for (String t : tokens) {
                total++;
                if (t.equals(PAD_TOKEN) || t.equals(UNK_TOKEN)) unk++;
                else freq.computeIfAbsent(t, k -> new long[1])[0]++;
            }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(freq.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        List<String> words = new ArrayList<>(List.of(PAD_TOKEN, UNK_TOKEN));
        List<Long> counts = new ArrayList<>(List.of(0L, 0L));
        for (Map.Entry<String, long[]> e : sorted) {
            long c = e.getValue()[0];
            if (c >= minCount && words.size() < maxSize) {
                words.add(e.getKey());
                counts.add(c);
            } else {
                unk += c;
            }
        }
        long[] c = counts.stream().mapToLong(Long::longValue).toArray();
        c[UNK] = unk;
        return new Vocabulary(words, c, total);
    }

    /** V, PAD and UNK included. */
    public int size() { return words.size(); }

    public String word(int id) { return words.get(id); }

    /** The word's id, or {@link #UNK} for a word not in the vocabulary. */
    public int id(String word) {
        Integer i = ids.get(word);
        return i == null ? UNK : i;
    }

    public boolean contains(String word) { return ids.containsKey(word); }

    /** All entries by id, {@code <pad>} and {@code <unk>} first. */
    public List<String> words() { return words; }

    /** How often the word with this id occurred in the training transcripts; for UNK, how many tokens fell to it; 0 after {@link #fromJson}. */
    public long count(int id) { return counts[id]; }

    /** The number of training tokens the vocabulary was built from; 0 after {@link #fromJson}. */
    public long trainingTokens() { return trainingTokens; }

    /** The ids of the tokens, unknown ones as UNK, cut to the first {@link #MAX_TOKENS}. */
    public int[] encode(List<String> tokens) {
        return encode(tokens, MAX_TOKENS);
    }

    /** The ids of the first {@code maxTokens} tokens, unknown ones as UNK. */
    public int[] encode(List<String> tokens, int maxTokens) {
        int n = Math.min(tokens.size(), maxTokens);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = id(tokens.get(i));
        return out;
    }

    /** The words as a JSON array in id order, for a checkpoint's {@code __metadata__}. */
    public String toJson() {
        ArrayNode a = JSON.createArrayNode();
        words.forEach(a::add);
        return a.toString();
    }

    /**
     * Reads {@link #toJson()}'s form back, checking it: a JSON array of distinct, non-empty strings without
     * whitespace, {@code <pad>} and {@code <unk>} first. {@code source} names the checkpoint for errors.
     */
    public static Vocabulary fromJson(String source, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InputException(source, "has a vocabulary that is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isArray())
            throw new InputException(source, "has a vocabulary that is not a JSON array of words");
        if (root.size() < 2 || !PAD_TOKEN.equals(root.get(0).asText(null)) || !UNK_TOKEN.equals(root.get(1).asText(null)))
            throw new InputException(source, "has a vocabulary that does not start with \"" + PAD_TOKEN + "\", \"" + UNK_TOKEN + "\"");
        if (root.size() > MAX_SIZE)
            throw new InputException(source, "has a vocabulary of " + root.size() + " words, more than the " + MAX_SIZE + " accepted");
        List<String> words = new ArrayList<>(root.size());
        Map<String, Integer> seen = HashMap.newHashMap(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            if (!n.isTextual()) throw new InputException(source, "has a vocabulary entry " + i + " that is not a string: " + n);
            String w = n.asText();
            if (w.isEmpty() || w.codePoints().anyMatch(Character::isWhitespace))
                throw new InputException(source, "has a vocabulary entry " + i + " that is empty or contains whitespace: \"" + w + "\"");
            Integer before = seen.putIfAbsent(w, i);
            if (before != null)
                throw new InputException(source, "has the word \"" + w + "\" twice in its vocabulary (entries " + before + " and " + i + ")");
            words.add(w);
        }
        return new Vocabulary(words, new long[words.size()], 0);
    }
}

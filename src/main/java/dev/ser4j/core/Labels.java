package dev.ser4j.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The classes a model tells apart, in the order of its outputs: the paper's four ({@link #DEFAULT}) or any set
 * chosen with {@code --classes} (RAVDESS's eight, CREMA-D's six, ...). Class names are the corpus readers' common
 * names: {@code angry, happy, sad, neutral, calm, fearful, disgust, surprised, boredom, frustrated}, or a data
 * set's own labels for a manifest.
 *
 * @param names the class names, in output order
 */
public record Labels(List<String> names) {
    // (before DEFAULT, which the constructor checks with them)
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** The most classes a model may have. */
    public static final int MAX = 256;
    /** The paper's classes: angry, happy, sad, neutral. */
    public static final Labels DEFAULT = new Labels(List.of("angry", "happy", "sad", "neutral"));

    /**
     * Checks the names: at least two, unique, each a lowercase word of at most 32 letters, digits, {@code _} or
     * {@code -} starting with a letter.
     *
     * @throws InputException naming the first bad name
     */
    public Labels {
        names = List.copyOf(names);
        if (names.size() < 2 || names.size() > MAX)
            throw new InputException("classes", names.size() + " classes; a model tells apart 2 to " + MAX);
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!NAME.matcher(n).matches())
                throw new InputException("classes", "'" + shorten(n) + "' is not a class name (a lowercase word: letters, digits, _ or -)");
            if (!seen.add(n)) throw new InputException("classes", "'" + n + "' is listed twice");
        }
    }

    /**
     * Parses a comma-separated list such as {@code angry,happy,sad,neutral} (names are lowercased, spaces ignored).
     *
     * @param source the flag or metadata key the list comes from, for the error message
     * @param csv    the list
     * @return the classes
     * @throws InputException if the list is not a valid class set
     */
    public static Labels parse(String source, String csv) {
        List<String> names = new ArrayList<>();
        for (String n : csv.split(",", -1)) names.add(n.strip().toLowerCase(Locale.ROOT));
        try {
            return new Labels(names);
        } catch (InputException e) {
            throw new InputException(source, e.getMessage().substring("classes: ".length()));
        }
    }

    /**
     * A class name as a data set writes it, in the common form: lowercased, without surrounding spaces.
     *
     * @param source where the label comes from (a file and line), for the error message
     * @param label  the label
     * @return the class name
     * @throws InputException if the label is not a class name (a lowercase word of letters, digits, _ or -)
     */
    public static String name(String source, String label) {
        String n = label.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(n).matches())
            throw new InputException(source, "'" + shorten(label) + "' is not a class name (a word: letters, digits, _ or -, starting with a letter)");
        return n;
    }

    /**
     * The number of classes.
     *
     * @return the number of classes, the model's output width
     */
    public int size() {
        return names.size();
    }

    /**
     * A class's name.
     *
     * @param index the class's output index
     * @return its name
     */
    public String name(int index) {
        return names.get(index);
    }

    /**
     * A class's output index.
     *
     * @param name a class name
     * @return its index, or -1 when it is not one of these classes
     */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    /**
     * The names as a checkpoint and the command line write them.
     *
     * @return the names joined by commas
     */
    public String csv() {
        return String.join(",", names);
    }

    @Override
    public String toString() {
        return csv();
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 37) + "...";
    }
}

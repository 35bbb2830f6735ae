package dev.ser4j.synth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lexicon against docs/corpus.md's A3 (a copy in src/test/resources/synth), parsed from the markdown:
 * every filler and every template word for word, in order.
 */
class SynthLexiconTest {
    static String a3() throws IOException {
        try (InputStream in = SynthLexiconTest.class.getResourceAsStream("/synth/corpus.md")) {
            String md = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return md.substring(md.indexOf("## A3. Lexicon"), md.indexOf("## A4."));
        }
    }

    @Test
    void fillersAreCorpusMdsWordForWord() throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\w+) \\| (.+) \\|$").matcher(a3());
        while (m.find()) {
            if (m.group(1).equals("slot")) continue;
            expected.put(m.group(1), List.of(m.group(2).split("; ")));
        }
        assertEquals(8, expected.size());
        assertEquals(expected, Lexicon.FILLERS);
    }

    @Test
    void templatesAreCorpusMdsWordForWord() throws IOException {
        String[] sections = a3().split("\n(?=Class-specific templates|Valence-shared templates|Ambiguous templates)");
        List<List<String>> expected = new ArrayList<>();
        for (int i = 1; i < sections.length; i++) {
            List<String> items = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^\\d+\\. (.+)$").matcher(sections[i]);
            while (m.find()) items.add(m.group(1));
            expected.add(items);
        }
        assertEquals(List.of(Lexicon.ANGRY, Lexicon.HAPPY, Lexicon.SAD, Lexicon.NEUTRAL, Lexicon.NEGATIVE, Lexicon.NEWS,
                Lexicon.AMBIGUOUS), expected);
        assertEquals(List.of(24, 24, 24, 24, 14, 14, 24), expected.stream().map(List::size).toList());
    }

    @Test
    void valenceListsAreSharedByTheirPairs() {
        assertSame(Lexicon.NEGATIVE, Lexicon.templates(Lexicon.TextType.VALENCE, Emotion.ANGRY).list());
        assertSame(Lexicon.NEGATIVE, Lexicon.templates(Lexicon.TextType.VALENCE, Emotion.SAD).list());
        assertSame(Lexicon.NEWS, Lexicon.templates(Lexicon.TextType.VALENCE, Emotion.HAPPY).list());
        assertSame(Lexicon.NEWS, Lexicon.templates(Lexicon.TextType.VALENCE, Emotion.NEUTRAL).list());
        for (Emotion e : Emotion.values()) assertSame(Lexicon.AMBIGUOUS, Lexicon.templates(Lexicon.TextType.AMBIGUOUS, e).list());
    }

    @Test
    void fillReplacesEverySlotAndCapitalisesCapitalisedSlots() {
        Draws d = new Draws(1);
        for (int i = 0; i < 200; i++) {
            String s = Lexicon.fill("{Person} is bringing the {object} on {day}.", d);
            assertFalse(s.contains("{"), s);
            assertTrue(Character.isUpperCase(s.charAt(0)), s);
            assertTrue(s.endsWith("."), s);
        }
        // "my brother" is one of the fillers: capitalised it reads "My brother"
        boolean sawMyBrother = false;
        for (int i = 0; i < 500 && !sawMyBrother; i++) sawMyBrother = Lexicon.fill("{Person} called.", d).equals("My brother called.");
        assertTrue(sawMyBrother);
        assertEquals("Look at this.", Lexicon.fill("Look at this.", d));
    }
}

package dev.ser4j.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    private record Case(String transcript, List<String> tokens) {}

    /** The table written by src/test/python/treebank_golden.py with NLTK 3.8. */
    private static List<Case> golden() throws IOException {
        try (InputStream in = TokenizerTest.class.getResourceAsStream("treebank-golden.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Case> cases = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                cases.add(new Case(f[0], f[1].isEmpty() ? List.of() : List.of(f[1].split(" "))));
            }
            return cases;
        }
    }

    @Test
    void matchesNltkOnIemocapLikeTranscripts() throws IOException {
        List<Case> cases = golden();
        assertTrue(cases.size() >= 40, "the golden table has " + cases.size() + " rows");
        for (Case c : cases) assertEquals(c.tokens(), Tokenizer.tokenize(c.transcript()), c.transcript());
    }

    @Test
    void splitsContractionsAsTreebankDoes() {
        assertEquals(List.of("do", "n't", "ca", "n't", "wo", "n't", "i", "'m", "we", "'ll", "she", "'s", "they", "'ve",
                        "you", "'d", "we", "'re"),
                Tokenizer.tokenize("don't can't won't I'm we'll she's they've you'd we're"));
    }

    @Test
    void dropsEveryBracketedMarkerInAnyCase() {
        assertEquals(List.of("so", "what", "?"), Tokenizer.tokenize("[LAUGHTER] so [breathing] what [Garbage]? [LIPSMACK]"));
        assertEquals(List.of(), Tokenizer.tokenize("[LAUGHTER] [BREATHING]"));
        assertEquals(List.of(), Tokenizer.tokenize(""));
    }

    @Test
    void keepsAbbreviationPeriodsInsideASentence() {
        assertEquals(List.of("i", "saw", "mr.", "smith", "at", "5", "p.m.", "yesterday", "."),
                Tokenizer.tokenize("I saw Mr. Smith at 5 p.m. yesterday."));
        assertEquals(List.of("john", "j.", "doe", "works", "in", "the", "u.s.", "now", "."),
                Tokenizer.tokenize("John J. Doe works in the U.S. now."));
    }

    @Test
    void splitsPeriodsBetweenSentencesButNotInsideNumbersOrEllipses() {
        assertEquals(List.of("fine", ".", "it", "'s", "3.5", ".", "well", "..."), Tokenizer.tokenize("Fine. It's 3.5. Well..."));
    }
}

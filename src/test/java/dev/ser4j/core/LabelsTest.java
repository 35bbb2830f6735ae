package dev.ser4j.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Class sets: parsing as the command line writes them, the names they accept, and the order they keep. */
class LabelsTest {
    @Test
    void parseIgnoresSpacesAndCaseAndKeepsTheOrder() {
        Labels l = Labels.parse("--classes", " Angry ,HAPPY,  sad\t, Neutral ");
        assertEquals(List.of("angry", "happy", "sad", "neutral"), l.names());
        assertEquals(Labels.DEFAULT, l);
        assertEquals(4, l.size());
        assertEquals("happy", l.name(1));
        assertEquals(List.of("neutral", "calm", "fearful_2", "dis-gust"),
                Labels.parse("--classes", "neutral,calm,fearful_2,dis-gust").names(), "digits, _ and - are allowed after the first letter");
    }

    @Test
    void invalidNamesAreInputExceptionsNamingTheSourceAndTheName() {
        for (String bad : new String[]{"angry,2happy", "angry,happy sad", "angry,hap.py", "angry,", "angry,,sad", "angry,_x", "angry,-x",
                "angry,é", "angry," + "a".repeat(33)}) {
            InputException e = assertThrows(InputException.class, () -> Labels.parse("--classes", bad), bad);
            assertEquals("--classes", e.source(), bad);
            assertTrue(e.getMessage().startsWith("--classes: '"), e.getMessage());
            assertTrue(e.getMessage().contains("is not a class name"), e.getMessage());
            assertFalse(e.getMessage().contains("classes: classes"), "the constructor's prefix is not repeated: " + e.getMessage());
        }
        assertEquals(List.of("angry", "a".repeat(32)), Labels.parse("--classes", "angry," + "a".repeat(32)).names(), "32 characters is the limit");
        InputException upper = assertThrows(InputException.class, () -> new Labels(List.of("angry", "Happy")));
        assertTrue(upper.getMessage().contains("'Happy'"), "the constructor does not lowercase: " + upper.getMessage());
    }

    @Test
    void aVeryLongBadNameIsShortenedInTheMessage() {
        String longName = "x".repeat(30) + "!" + "y".repeat(100);
        InputException e = assertThrows(InputException.class, () -> Labels.parse("--classes", "angry," + longName));
        assertFalse(e.getMessage().contains(longName), e.getMessage());
        assertTrue(e.getMessage().contains("x".repeat(30) + "!yyyyyy..."), e.getMessage());
    }

    @Test
    void aNameListedTwiceIsRejectedEvenWhenItDiffersOnlyInCaseOrSpaces() {
        InputException e = assertThrows(InputException.class, () -> Labels.parse("labels", "angry,sad,Angry "));
        assertEquals("labels: 'angry' is listed twice", e.getMessage());
        assertThrows(InputException.class, () -> new Labels(List.of("sad", "sad")));
    }

    @Test
    void fewerThanTwoOrMoreThanTheMaximumClassesAreRejected() {
        InputException one = assertThrows(InputException.class, () -> Labels.parse("--classes", "angry"));
        assertEquals("--classes: 1 classes; a model tells apart 2 to " + Labels.MAX, one.getMessage());
        assertThrows(InputException.class, () -> new Labels(List.of()));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Labels.MAX; i++) many.add("c" + i);
        assertThrows(InputException.class, () -> new Labels(many));
        assertEquals(Labels.MAX, new Labels(many.subList(0, Labels.MAX)).size());
        assertEquals(2, Labels.parse("--classes", "yes,no").size());
    }

    @Test
    void nameNormalisesADataSetsLabel() {
        assertEquals("angry", Labels.name("m.csv:3", "  ANGRY\t"));
        assertEquals("fear_2", Labels.name("m.csv:3", "Fear_2"));
        assertEquals("x", Labels.name("m.csv:3", "x"));
    }

    @Test
    void nameRejectsWhatIsNotAClassNameAndNamesTheSource() {
        for (String bad : new String[]{"", "   ", "1st", "two words", "a/b", "_x", "happy!", "a".repeat(33)}) {
            InputException e = assertThrows(InputException.class, () -> Labels.name("m.csv:7", bad), bad);
            assertEquals("m.csv:7", e.source());
            assertTrue(e.getMessage().contains("'" + bad + "' is not a class name"), e.getMessage());
        }
    }

    @Test
    void indexOfIsTheOutputIndexOrMinusOne() {
        Labels l = Labels.parse("--classes", "neutral,calm,happy");
        assertEquals(0, l.indexOf("neutral"));
        assertEquals(2, l.indexOf("happy"));
        assertEquals(-1, l.indexOf("angry"));
        assertEquals(-1, l.indexOf("Happy"), "indexOf takes a normalised name");
    }

    @Test
    void csvRoundTripsThroughParse() {
        Labels l = Labels.parse("--classes", "neutral, calm,happy,sad,angry,fearful,disgust,surprised");
        assertEquals("neutral,calm,happy,sad,angry,fearful,disgust,surprised", l.csv());
        assertEquals(l.csv(), l.toString());
        assertEquals(l, Labels.parse("labels", l.csv()));
        assertEquals("angry,happy,sad,neutral", Labels.DEFAULT.csv());
    }

    @Test
    void namesAreACopyTheCallerCannotChange() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        Labels l = new Labels(names);
        names.set(0, "z");
        assertEquals(List.of("a", "b"), l.names());
        assertThrows(UnsupportedOperationException.class, () -> l.names().add("c"));
    }
}

package dev.ser4j.train;

import dev.ser4j.core.InputException;
import dev.ser4j.model.Example;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FoldsTest {
    @Test
    void speakerFoldsTestOneSpeakerAndValidateOnTheSessionPartner() {
        List<Example> data = Examples.make(10, 6, 4, 20, false, 1);       // 10 speakers in 5 sessions, as IEMOCAP
        List<Folds.Fold> folds = Folds.speaker(data);
        assertEquals(10, folds.size());
        for (Folds.Fold f : folds) {
            Set<String> test = speakers(data, f.test()), dev = speakers(data, f.dev()), train = speakers(data, f.train());
            assertEquals(1, test.size());
            assertEquals(1, dev.size());
            assertEquals(8, train.size());
            assertEquals(data.get(f.test().getFirst()).session(), data.get(f.dev().getFirst()).session());
            assertPartition(data.size(), f);
        }
    }

    @Test
    void sessionFoldsLeaveOneSessionOut() {
        List<Example> data = Examples.make(10, 6, 4, 20, false, 1);
        List<Folds.Fold> folds = Folds.session(data);
        assertEquals(5, folds.size());
        for (Folds.Fold f : folds) {
            assertEquals(2, speakers(data, f.test()).size());
            assertPartition(data.size(), f);
        }
    }

    @Test
    void randomFoldsAreTenDisjointSeededParts() {
        List<Example> data = Examples.make(4, 25, 4, 20, false, 1);
        List<Folds.Fold> a = Folds.random(data, 10, 7), b = Folds.random(data, 10, 7);
        assertEquals(a, b);
        Set<Integer> tested = new HashSet<>();
        for (Folds.Fold f : a) {
            assertEquals(10, f.test().size());
            assertEquals(10, f.dev().size());
            assertPartition(data.size(), f);
            tested.addAll(f.test());
        }
        assertEquals(data.size(), tested.size(), "every utterance is tested once");
        assertNotEquals(a, Folds.random(data, 10, 8));
    }

    @Test
    void unknownSchemeOrTooFewSpeakersIsAClearError() {
        List<Example> data = Examples.make(2, 6, 4, 20, false, 1);
        assertThrows(InputException.class, () -> Folds.make("bogus", data, 1, null));
        assertThrows(InputException.class, () -> Folds.speaker(data));
    }

    private static Set<String> speakers(List<Example> data, List<Integer> idx) {
        Set<String> s = new HashSet<>();
        for (int i : idx) s.add(data.get(i).speaker());
        return s;
    }

    private static void assertPartition(int n, Folds.Fold f) {
        Set<Integer> all = new HashSet<>(f.train());
        all.addAll(f.dev());
        all.addAll(f.test());
        assertEquals(n, all.size());
        assertEquals(n, f.train().size() + f.dev().size() + f.test().size());
    }
}

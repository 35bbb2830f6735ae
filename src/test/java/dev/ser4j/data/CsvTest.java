package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTest {
    private static List<List<String>> fields(String text) {
        return Csv.parse("m.csv", text).stream().map(Csv.Row::fields).toList();
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        assertEquals(List.of(List.of("a", "b,c", "say \"hi\"", "two\nlines", "")),
                fields("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\n"));
    }

    @Test
    void recordsKeepTheLineTheyStartOnAcrossCrLfAndBlankLines() {
        List<Csv.Row> rows = Csv.parse("m.csv", "h1,h2\r\n\r\n\"x\ny\",1\r\nz,2");
        assertEquals(List.of(1, 3, 5), rows.stream().map(Csv.Row::line).toList());
        assertEquals(List.of("z", "2"), rows.get(2).fields());
    }

    @Test
    void emptyFieldsAndAQuoteInsideAnUnquotedFieldAreKept() {
        assertEquals(List.of(List.of("", "", ""), List.of("it's 5\" long", "x")), fields(",,\nit's 5\" long,x\n"));
    }

    @Test
    void unclosedQuoteAndTextAfterAClosingQuoteAreErrorsWithTheLine() {
        InputException open = assertThrows(InputException.class, () -> Csv.parse("m.csv", "a,b\nc,\"never closed\n\n"));
        assertTrue(open.getMessage().startsWith("m.csv:2: "), open.getMessage());
        InputException after = assertThrows(InputException.class, () -> Csv.parse("m.csv", "a,b\n\"x\"y,1\n"));
        assertTrue(after.getMessage().startsWith("m.csv:2: "), after.getMessage());
    }
}

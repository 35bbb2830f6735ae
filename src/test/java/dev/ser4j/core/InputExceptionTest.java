package dev.ser4j.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Messages are one printable line, whatever a file quoted into them held. */
class InputExceptionTest {
    /** Fuzzing finding (every text target): bytes of a hostile file reached messages as line breaks and terminal codes. */
    @Test
    void messagesEscapeControlCharactersAndLineBreaks() {
        InputException e = new InputException("v.json", "has the entry \"a\nb\" and '\u001B[2J\u0000\t\u0085\u2028'");
        assertEquals("v.json: has the entry \"a\\nb\" and '\\u001B[2J\\u0000\\t\\u0085\\u2028'", e.getMessage());
        assertEquals("v.json", e.source());
        assertEquals("a\\r\\nb", InputException.printable("a\r\nb"));
    }

    @Test
    void printableTextIsKeptAsItIs() {
        String s = "m.csv:3: 'été ☺ <TAB>' is not an emotion";
        assertSame(s, InputException.printable(s));
    }
}

package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Records of an RFC 4180 CSV text: fields separated by commas, records by LF or CRLF; a field in double quotes
 * may hold commas, line breaks and doubled quotes ({@code ""}). A quote inside an unquoted field is kept as it
 * is. Blank lines are skipped. Pure.
 */
final class Csv {
    private Csv() {}

    /** One record and the line it starts on (1-based). */
    record Row(int line, List<String> fields) {}

    /** The records of {@code text}; {@code source} names it in errors ({@code source:line}). */
    static List<Row> parse(String source, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1, start = 1, i = 0, n = text.length();
        boolean any = false;           // the current record has content (so a blank line is not a record)
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.isEmpty()) {
                int open = line;
                i++;
                while (true) {
                    if (i >= n) throw new InputException(source + ":" + open, "has a quoted field that is never closed");
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') line++;
                    field.append(q);
                    i++;
                }
                any = true;
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r')
                    throw new InputException(source + ":" + line, "has text after a closing quote; quote the whole field");
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
                i++;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                i++;
                if (any || !field.isEmpty()) {
                    fields.add(field.toString());
                    rows.add(new Row(start, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                any = false;
                start = ++line;
            } else {
                field.append(c);
                any = true;
                i++;
            }
        }
        if (any || !field.isEmpty()) {
            fields.add(field.toString());
            rows.add(new Row(start, List.copyOf(fields)));
        }
        return rows;
    }
}

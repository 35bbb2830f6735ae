package dev.ser4j.cli;

import dev.ser4j.core.InputException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) held in memory, split into its named parts: enough for the service's
 * form of a WAV file and a transcript. Every malformation is an {@link InputException} naming the request body.
 */
final class Multipart {
    private Multipart() {}

    private static final String SOURCE = "the multipart body";
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final byte[] CRLF = {'\r', '\n'}, HEADERS_END = {'\r', '\n', '\r', '\n'};

    /** The boundary of a {@code multipart/form-data} content type. */
    static String boundary(String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) throw new InputException(SOURCE, "has no boundary in its Content-Type '" + contentType + "'");
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The parts by field name, in order; a field given twice is an error. */
    static Map<String, byte[]> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) throw new InputException(SOURCE, "does not start with its boundary");
        Map<String, byte[]> parts = new LinkedHashMap<>();
        byte[] next = concat(CRLF, delimiter);
        while (true) {
            at += delimiter.length;
            if (startsWith(body, at, new byte[]{'-', '-'})) return parts;                           // the closing delimiter
            while (at < body.length && (body[at] == ' ' || body[at] == '\t')) at++;                // transport padding
            if (!startsWith(body, at, CRLF)) throw new InputException(SOURCE, "has a boundary line that does not end in CRLF");
            at += 2;
            int headersEnd = indexOf(body, HEADERS_END, at);
            int contentStart;
            String headers;
            if (startsWith(body, at, CRLF)) {                                                       // a part without headers
                headers = "";
                contentStart = at + 2;
            } else {
                if (headersEnd < 0) throw new InputException(SOURCE, "has a part whose headers do not end");
                headers = new String(body, at, headersEnd - at, StandardCharsets.UTF_8);
                contentStart = headersEnd + 4;
            }
            int end = indexOf(body, next, contentStart);
            if (end < 0) throw new InputException(SOURCE, "ends without its closing boundary --" + boundary + "--");
            String name = fieldName(headers);
            if (parts.put(name, Arrays.copyOfRange(body, contentStart, end)) != null)
                throw new InputException(SOURCE, "has the field '" + name + "' twice");
            at = end + 2;
        }
    }

    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-disposition")) continue;
            String value = line.substring(colon + 1).strip();
            if (!value.toLowerCase(Locale.ROOT).startsWith("form-data"))
                throw new InputException(SOURCE, "has a part that is not form-data: '" + value + "'");
            Matcher m = NAME.matcher(value);
            if (m.find()) return m.group(1);
        }
        throw new InputException(SOURCE, "has a part without a Content-Disposition: form-data; name=\"...\" header");
    }

    private static boolean startsWith(byte[] a, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > a.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[at + i] != prefix[i]) return false;
        return true;
    }

    static int indexOf(byte[] a, byte[] b, int from) {
        outer:
        for (int i = Math.max(0, from); i <= a.length - b.length; i++) {
            if (a[i] != b[0]) continue;
            for (int j = 1; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decides whether bytes are exactly one JSON value, for the rare record whose bytes were not
 * produced in the json format but must be written in it: valid JSON is copied as is, anything
 * else becomes a string. Jackson is the judge, so the answer agrees with what the produce path
 * accepts.
 */
final class JsonValues {
    private JsonValues() {
    }

    static boolean isJsonValue(ByteBuffer src, int pos, int len) {
        int first = firstNonWhitespace(src, pos, pos + len);
        if (first < 0 || !canStartValue(src.get(first))) {
            // Most non-JSON text fails here, before a parser is created.
            return false;
        }
        byte[] array;
        int offset;
        if (src.hasArray()) {
            array = src.array();
            offset = src.arrayOffset() + pos;
        } else {
            array = new byte[len];
            src.get(pos, array);
            offset = 0;
        }
        try (JsonParser parser = JsonFactories.SHARED.createParser(array, offset, len)) {
            // Only the UTF-8 parser: bytes Jackson takes for UTF-16 or UTF-32 are not UTF-8 JSON.
            if (!(parser instanceof UTF8StreamJsonParser) || parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a JSON value can start with byte {@code b}. A byte order mark cannot: copied into
     * a response it would sit in the middle of the JSON text.
     */
    private static boolean canStartValue(byte b) {
        return b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9')
                || b == 't' || b == 'f' || b == 'n';
    }

    private static int firstNonWhitespace(ByteBuffer src, int pos, int end) {
        for (int i = pos; i < end; i++) {
            byte b = src.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}

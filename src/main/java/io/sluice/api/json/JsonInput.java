package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One pass of Jackson's streaming parser over a range of a byte array, with token positions
 * translated into indexes of that array so that values can be sliced out of the input instead
 * of being decoded and re-encoded.
 *
 * <p>Jackson counts byte offsets from the start of the range it was given (a UTF-8 byte order
 * mark included), so an index is {@code offset + byteOffset}. Only the UTF-8 parser counts
 * bytes; an input Jackson detects as UTF-16 or UTF-32 is refused, since JSON on the wire is UTF-8.
 *
 * <p>Also names the input ({@code body}, {@code record}, {@code frame}) in error messages.
 * Not thread-safe; one instance per parse.
 */
final class JsonInput implements AutoCloseable {
    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line");

    private final JsonParser parser;
    private final byte[] data;
    private final int base;
    private final String subject;
    /** Set by {@link #sliceValue()}: the current value's raw JSON text is {@code data[sliceStart, sliceEnd)}. */
    int sliceStart;
    int sliceEnd;

    private JsonInput(JsonParser parser, byte[] data, int base, String subject) {
        this.parser = parser;
        this.data = data;
        this.base = base;
        this.subject = subject;
    }

    static JsonInput open(JsonFactory factory, byte[] data, int offset, int length, String subject) {
        Objects.checkFromIndexSize(offset, length, data.length);
        JsonParser parser;
        try {
            parser = factory.createParser(data, offset, length);
        } catch (IOException e) {
            throw new ProduceParseException(subject + " is not valid JSON: " + reason(e) + " at byte 0", e);
        }
        if (!(parser instanceof UTF8StreamJsonParser)) {
            closeQuietly(parser);
            throw new ProduceParseException(subject + " is not valid JSON: it must be encoded in UTF-8");
        }
        return new JsonInput(parser, data, offset, subject);
    }

    JsonParser parser() {
        return parser;
    }

    byte[] data() {
        return data;
    }

    /** What the input is called in messages: body, record or frame. */
    String subject() {
        return subject;
    }

    JsonToken next() throws IOException {
        return parser.nextToken();
    }

    JsonToken currentToken() {
        return parser.currentToken();
    }

    String name() throws IOException {
        return parser.currentName();
    }

    /** Index in {@link #data()} of the first byte of the current token. */
    int tokenStart() {
        return base + (int) parser.currentTokenLocation().getByteOffset();
    }

    /** Index in {@link #data()} just past the bytes the parser has consumed. */
    int consumedEnd() {
        return base + (int) parser.currentLocation().getByteOffset();
    }

    /**
     * Consumes the current value (which may be an object or array) and records where its raw
     * JSON text lies in {@link #sliceStart} and {@link #sliceEnd}. Jackson reads a string's
     * contents lazily, so a string is finished first; a number, {@code true}, {@code false} or
     * {@code null} already ends where the parser stands.
     */
    void sliceValue() throws IOException {
        sliceStart = tokenStart();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        } else if (token == JsonToken.VALUE_STRING) {
            parser.finishToken();
        }
        sliceEnd = consumedEnd();
    }

    /** Requires that nothing but whitespace follows the root value. */
    void expectEnd() throws IOException {
        if (parser.nextToken() != null) {
            throw new ProduceParseException(
                    subject + ": unexpected data after the JSON object at byte " + (tokenStart() - base));
        }
    }

    /** The error for input Jackson refused, with Jackson's reason and the byte it stopped at. */
    ProduceParseException invalidJson(IOException e) {
        String where = "";
        if (e instanceof JsonProcessingException) {
            JsonLocation location = ((JsonProcessingException) e).getLocation();
            if (location != null && location.getByteOffset() >= 0) {
                where = " at byte " + location.getByteOffset();
            }
        }
        return new ProduceParseException(subject + " is not valid JSON: " + reason(e) + where, e);
    }

    private static String reason(IOException e) {
        String reason = e instanceof JsonProcessingException
                ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        if (reason == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson names the source of a nested location even when it is not included; drop the noise.
        return SOURCE.matcher(reason).replaceAll("[line");
    }

    @Override
    public void close() {
        closeQuietly(parser);
    }

    private static void closeQuietly(JsonParser parser) {
        try {
            parser.close();
        } catch (IOException e) {
            // An in-memory parser holds no resource whose release can fail in a way that matters.
        }
    }
}

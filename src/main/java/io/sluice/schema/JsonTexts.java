package io.sluice.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads one JSON value from UTF-8 text, for the schema languages that encode from a tree. */
final class JsonTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonTexts() {
    }

    /** The one JSON value of the remaining bytes of {@code text} (not moved). */
    static JsonNode read(ByteBuffer text) throws InvalidPayloadException {
        try {
            if (text.hasArray()) {
                return JSON.readTree(text.array(), text.arrayOffset() + text.position(), text.remaining());
            }
            byte[] copy = new byte[text.remaining()];
            text.duplicate().get(copy);
            return JSON.readTree(copy);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("not one JSON value: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("not one JSON value: " + e.getMessage());
        }
    }
}

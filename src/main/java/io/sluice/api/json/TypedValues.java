package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaLookup;
import io.sluice.schema.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes one stored key or value as typed JSON: bytes in Confluent's wire format whose schema this
 * node has parsed become the JSON form of their payload ({@link ParsedSchema#toJson}). Anything
 * else (not in the wire format, an id no schema has, a payload its schema does not decode) must not
 * stop a consumer's stream: it is written as a base64 string of the stored bytes, and the caller
 * gets the reason to put beside it. Only the lookup's memory is read: callers load a chunk's
 * schemas first ({@link io.sluice.schema.SchemaIds}).
 */
final class TypedValues {
    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private TypedValues() {
    }

    /**
     * Writes the {@code size} bytes at {@code pos} of {@code buf} (not null) as typed JSON.
     *
     * @return null when written as JSON, else why they were written as base64
     */
    static String write(ByteBuf out, ByteBuffer buf, int pos, int size, SchemaLookup schemas) {
        int id = WireFormat.schemaId(buf, pos, size);
        String problem;
        if (id == WireFormat.NONE) {
            problem = "not in Confluent's wire format";
        } else {
            ParsedSchema schema = schemas.cachedById(id);
            if (schema == null) {
                problem = "schema id " + id + " is not registered";
            } else {
                try {
                    JsonNode node = schema.toJson(WireFormat.payload(buf, pos, size));
                    int mark = out.writerIndex();
                    try {
                        JSON.writeValue((OutputStream) new ByteBufOutputStream(out), node);
                        return null;
                    } catch (IOException e) {
                        out.writerIndex(mark);
                        problem = "cannot be written as JSON: " + e.getMessage();
                    }
                } catch (InvalidPayloadException e) {
                    problem = "does not decode with schema id " + id + ": " + e.getMessage();
                } catch (RuntimeException e) {
                    problem = "does not decode with schema id " + id + ": " + e;
                }
            }
        }
        Base64Writer.writeString(out, buf, pos, size);
        return problem;
    }
}

package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.record.Header;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a record's {@code headers} member in either accepted shape: an object of UTF-8 strings
 * ({@code {"src":"web"}}), or Strimzi's array of base64 values
 * ({@code [{"key":"src","value":"d2Vi"}]}). JSON null and an empty object or array mean no
 * headers. Names may repeat, as Kafka allows, and keep their order.
 */
final class HeadersReader {
    private static final String EXPECTED =
            "expected an object of string values or an array of {\"key\",\"value\"} objects";

    private HeadersReader() {
    }

    /** Reads the headers whose first token is current; {@code record} names the record in errors. */
    static List<Header> read(JsonInput in, RecordReader record) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (token == JsonToken.START_OBJECT) {
            return readObject(in, record);
        }
        if (token == JsonToken.START_ARRAY) {
            return readArray(in, record);
        }
        throw record.fail("headers", EXPECTED);
    }

    private static List<Header> readObject(JsonInput in, RecordReader record) throws IOException {
        List<Header> headers = new ArrayList<>(4);
        while (in.next() == JsonToken.FIELD_NAME) {
            String name = in.name();
            JsonToken token = in.next();
            if (token == JsonToken.VALUE_STRING) {
                headers.add(new Header(name, record.utf8StringCopy()));
            } else if (token == JsonToken.VALUE_NULL) {
                headers.add(new Header(name, null));
            } else {
                throw record.fail("headers." + name, "expected a string or null");
            }
        }
        return headers.isEmpty() ? List.of() : Collections.unmodifiableList(headers);
    }

    private static List<Header> readArray(JsonInput in, RecordReader record) throws IOException {
        List<Header> headers = new ArrayList<>(4);
        JsonToken token;
        while ((token = in.next()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw record.fail(at(headers.size()),
                        "expected an object {\"key\":\"<name>\",\"value\":\"<base64 or null>\"}");
            }
            headers.add(readEntry(in, record, headers.size()));
        }
        return headers.isEmpty() ? List.of() : Collections.unmodifiableList(headers);
    }

    /** Path of header entry {@code i} in messages; built only when there is an error to report. */
    private static String at(int i) {
        return "headers[" + i + "]";
    }

    private static Header readEntry(JsonInput in, RecordReader record, int i) throws IOException {
        String key = null;
        byte[] value = null;
        boolean sawValue = false;
        while (in.next() == JsonToken.FIELD_NAME) {
            String name = in.name();
            JsonToken token = in.next();
            if ("key".equals(name)) {
                if (key != null) {
                    throw record.fail(at(i), "duplicate field \"key\"");
                }
                if (token != JsonToken.VALUE_STRING) {
                    throw record.fail(at(i) + ".key", "expected a string");
                }
                key = in.parser().getText();
            } else if ("value".equals(name)) {
                if (sawValue) {
                    throw record.fail(at(i), "duplicate field \"value\"");
                }
                sawValue = true;
                if (token == JsonToken.VALUE_STRING) {
                    try {
                        value = in.parser().getBinaryValue(RecordReader.BASE64);
                    } catch (JsonProcessingException e) {
                        throw record.fail(at(i) + ".value", RecordReader.notBase64(e));
                    }
                } else if (token != JsonToken.VALUE_NULL) {
                    throw record.fail(at(i) + ".value", "expected a base64 string or null");
                }
            } else {
                throw record.fail(at(i), "unknown field \"" + name + "\" (a header has key and value)");
            }
        }
        if (key == null) {
            throw record.fail(at(i), "missing \"key\"");
        }
        return new Header(key, value);
    }
}

package io.sluice.schema;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProducerRecord;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Typed JSON in, as Confluent REST Proxy v2 does it: the schemas a produce names for its keys and
 * values ({@link RequestSchema}: a registered id, or a text registered under the topic's subject on
 * the way) are resolved, and every key and value, parsed from its JSON text, is encoded with its
 * schema ({@link ParsedSchema#fromJson}, which refuses what the schema does not accept) and put in
 * Confluent's wire format, ready for {@link io.sluice.produce.ProduceService}.
 *
 * <p>Errors, by REST Proxy v2's codes where it has one: keys without a key schema 42201, values
 * without a value schema 42202 ({@link ErrorCode#VALUE_SCHEMA_REQUIRED}), a schema that cannot be
 * used (unknown id, another type than the content type's, a text that does not parse or that the
 * registry refuses) 42205 ({@link ErrorCode#INVALID_SCHEMA}), a value its schema refuses 42201
 * naming the record; a registry that cannot answer 408/5xx. A JSON null key or value stays null.
 *
 * <p>Thread-safe. Remembers which id each inline schema text got under its subject, so that a
 * producer sending the same schema text with every request asks the registry once (REST Proxy's
 * serializer keeps the same cache).
 */
public final class TypedRecords {
    /** Past this many remembered texts the memory starts over: texts come from clients. */
    private static final int MAX_REMEMBERED = 1_000;

    private final SchemaLookup lookup;
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();

    public TypedRecords(SchemaLookup lookup) {
        this.lookup = lookup;
    }

    /** A schema as resolved for a produce: its id and its parsed form. */
    public record Resolved(int id, ParsedSchema schema) {
    }

    /** Records ready to produce, and the ids of the schemas they were encoded with (null: none named). */
    public record Encoded(List<ProducerRecord> records, Integer keySchemaId, Integer valueSchemaId) {
    }

    /**
     * Encodes {@code records} (keys and values holding JSON text) for {@code topic}, in the schema
     * language {@code type}, with the schemas the request names.
     */
    public Future<Encoded> encode(String topic, TopicSchemaRules rules, SchemaType type, RequestSchema keySchema,
                                  RequestSchema valueSchema, List<ProducerRecord> records) {
        return encode(topic, rules, type, keySchema, valueSchema, records, subject -> { });
    }

    /**
     * As {@link #encode(String, TopicSchemaRules, SchemaType, RequestSchema, RequestSchema, List)},
     * calling {@code mayRegister} with the subject before an inline schema is registered (or looked
     * up) under it: with security on it throws unless the producer may WRITE that subject, so that
     * WRITE on a topic does not let anyone register schemas the subject's ACLs refuse them.
     */
    public Future<Encoded> encode(String topic, TopicSchemaRules rules, SchemaType type, RequestSchema keySchema,
                                  RequestSchema valueSchema, List<ProducerRecord> records, Consumer<String> mayRegister) {
        boolean keys = false;
        boolean values = false;
        for (ProducerRecord r : records) {
            keys |= r.keyLength() >= 0;
            values |= r.valueLength() >= 0;
        }
        if (keys && keySchema == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.SCHEMA_VIOLATION,
                    "the records have keys but the request names no key_schema or key_schema_id"));
        }
        if (values && valueSchema == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.VALUE_SCHEMA_REQUIRED,
                    "the records have values but the request names no value_schema or value_schema_id"));
        }
        Future<Resolved> key = keySchema == null ? Future.succeededFuture() : resolve(topic, rules, type, true, keySchema, mayRegister);
        Future<Resolved> value = valueSchema == null ? Future.succeededFuture()
                : resolve(topic, rules, type, false, valueSchema, mayRegister);
        if (key.succeeded() && value.succeeded()) {
            return encodeAll(records, key.result(), value.result());
        }
        return Future.all(key, value).transform(ar -> {
            // The key's failure first, as if resolved in turn.
            if (key.failed()) {
                return Future.failedFuture(key.cause());
            }
            if (value.failed()) {
                return Future.failedFuture(value.cause());
            }
            return encodeAll(records, key.result(), value.result());
        });
    }

    /** The schema {@code ref} names for keys ({@code isKey}) or values of {@code topic}. */
    public Future<Resolved> resolve(String topic, TopicSchemaRules rules, SchemaType type, boolean isKey, RequestSchema ref,
                                    Consumer<String> mayRegister) {
        String field = (isKey ? "key" : "value") + (ref.id() != null ? "_schema_id" : "_schema");
        if (ref.id() != null) {
            return byId(ref.id(), type, field);
        }
        String subject;
        if (rules.side(isKey).needsSchemaForSubject()) {
            try {
                subject = rules.subject(topic, isKey, lookup.parse(type, ref.schema()));
            } catch (InvalidSchemaException e) {
                return Future.failedFuture(new SluiceException(ErrorCode.INVALID_SCHEMA, field + ": " + e.getMessage()));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new SluiceException(ErrorCode.INVALID_SCHEMA, field + ": " + e.getMessage()));
            }
        } else {
            subject = rules.subject(topic, isKey, null);
        }
        try {
            mayRegister.accept(subject);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        String memo = subject + '\u0000' + type + '\u0000' + ref.schema();
        Integer known = registered.get(memo);
        if (known != null) {
            return byId(known, type, field);
        }
        return lookup.registerIfAbsent(subject, type, ref.schema()).recover(e -> Future.failedFuture(
                e instanceof SluiceException se && se.code() == ErrorCode.INVALID_SCHEMA
                        ? new SluiceException(ErrorCode.INVALID_SCHEMA, field + ": " + se.getMessage()) : e)).compose(id -> {
            if (registered.size() >= MAX_REMEMBERED) {
                registered.clear();
            }
            registered.put(memo, id);
            return byId(id, type, field);
        });
    }

    private Future<Resolved> byId(int id, SchemaType type, String field) {
        ParsedSchema cached = lookup.cachedById(id);
        Future<ParsedSchema> schema = cached != null ? Future.succeededFuture(cached) : lookup.schemaById(id);
        return schema.transform(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof UnknownSchemaException) {
                    return Future.failedFuture(new SluiceException(ErrorCode.INVALID_SCHEMA,
                            field + " " + id + ": no schema has this id"));
                }
                return Future.failedFuture(ar.cause());
            }
            if (ar.result().type() != type) {
                return Future.failedFuture(new SluiceException(ErrorCode.INVALID_SCHEMA, field + " " + id + " is a "
                        + ar.result().type() + " schema; the request's format is for " + type + " schemas"));
            }
            return Future.succeededFuture(new Resolved(id, ar.result()));
        });
    }

    private static Future<Encoded> encodeAll(List<ProducerRecord> records, Resolved key, Resolved value) {
        byte[][] keys;
        byte[][] values;
        try {
            keys = encodeSide(records, true, key);
            values = encodeSide(records, false, value);
        } catch (SluiceException e) {
            return Future.failedFuture(e);
        }
        List<ProducerRecord> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord r = records.get(i);
            byte[] k = keys[i];
            byte[] v = values[i];
            out.add(new ProducerRecord(k, 0, k == null ? -1 : k.length, v, 0, v == null ? -1 : v.length,
                    r.headers(), r.timestamp(), r.partition(), r.producerId(), r.producerEpoch(), r.sequence(), 0));
        }
        return Future.succeededFuture(new Encoded(out, key == null ? null : key.id(), value == null ? null : value.id()));
    }

    /**
     * The keys ({@code isKey}) or values of {@code records}, JSON texts, encoded in the wire format
     * with {@code with}, all in one call to the schema; a null stays null.
     */
    private static byte[][] encodeSide(List<ProducerRecord> records, boolean isKey, Resolved with) {
        byte[][] out = new byte[records.size()][];
        List<ByteBuffer> texts = new ArrayList<>(records.size());
        int[] recordOf = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord r = records.get(i);
            int length = isKey ? r.keyLength() : r.valueLength();
            if (length >= 0) {
                recordOf[texts.size()] = i;
                texts.add(isKey ? ByteBuffer.wrap(r.keyArray(), r.keyOffset(), length)
                        : ByteBuffer.wrap(r.valueArray(), r.valueOffset(), length));
            }
        }
        if (texts.isEmpty()) {
            return out;
        }
        String what = isKey ? "key" : "value";
        List<byte[]> payloads;
        try {
            payloads = with.schema().fromJsonTexts(texts);
        } catch (InvalidPayloadException e) {
            int record = e.index() < 0 ? 0 : recordOf[e.index()];
            throw new SluiceException(ErrorCode.SCHEMA_VIOLATION, "records[" + record + "]." + what
                    + (e.getMessage().startsWith("not one JSON value") ? ": " : " does not match schema " + with.id() + ": ")
                    + e.getMessage());
        } catch (RuntimeException e) {
            // A provider's own failure on an odd value is still the values' fault, never the node's.
            throw new SluiceException(ErrorCode.SCHEMA_VIOLATION, "records[*]." + what + " do not match schema "
                    + with.id() + ": " + e);
        }
        for (int t = 0; t < payloads.size(); t++) {
            out[recordOf[t]] = WireFormat.encode(with.id(), payloads.get(t));
        }
        return out;
    }
}

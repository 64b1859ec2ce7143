package io.sluice.schema;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.produce.ProducerRecord;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation on produce, for every interface: on a topic whose rules ({@link TopicSchemaRules})
 * validate keys or values, every record's key/value must be in Confluent's wire format, name a
 * schema id registered under the subject the topic's strategy gives (for the record strategies, the
 * subject of that schema's record name), and carry a payload that decodes with that schema.
 * Otherwise the whole request fails with {@link ErrorCode#SCHEMA_VIOLATION} naming the first record
 * found at fault and what broke, and nothing of it is stored.
 *
 * <p>Hot path: schemas and subject membership answer from the lookup's memory, and a request whose
 * answers are all there is checked in one synchronous pass that allocates nothing per record. Only
 * what the node does not know yet (a schema id it has not parsed, a membership its copy of the
 * registry cannot confirm) is asked for, all at once, and the request checked again with the
 * answers; a registry that cannot answer fails the request with its error (5xx, retriable), never
 * as the client's fault.
 *
 * <p>Thread-safe: each call keeps its state in a check of its own.
 */
public final class RecordValidator {
    /** A pass that still waits after this many rounds of questions is a registry that does not settle. */
    private static final int MAX_PASSES = 3;

    private final SchemaLookup lookup;
    private final SluiceMetrics metrics;

    public RecordValidator(SchemaLookup lookup, SluiceMetrics metrics) {
        this.lookup = lookup;
        this.metrics = metrics;
    }

    /**
     * Checks {@code records} of {@code topic} against {@code rules}.
     *
     * @return a succeeded future when every record passes (already completed when the node knew every
     *         answer), or one failed with SCHEMA_VIOLATION, or with the registry's error
     */
    public Future<Void> validate(String topic, TopicSchemaRules rules, List<ProducerRecord> records) {
        if (!rules.validates()) {
            return Future.succeededFuture();
        }
        Future<Void> checked = new Check(topic, rules, records).round(1);
        if (checked.isComplete()) {
            count(topic, records.size(), checked);
            return checked;
        }
        return checked.andThen(ar -> count(topic, records.size(), checked));
    }

    private void count(String topic, int records, Future<Void> checked) {
        if (checked.succeeded()) {
            metrics.schemaValidated(topic, records);
        } else if (checked.cause() instanceof SluiceException e && e.code() == ErrorCode.SCHEMA_VIOLATION) {
            metrics.schemaRefused(topic);
        }
    }

    /** One request's check: the answers learnt so far, and what is still to be asked. */
    private final class Check {
        private final String topic;
        private final TopicSchemaRules rules;
        private final List<ProducerRecord> records;
        /** The subject of each side when it does not depend on the schema, else null. */
        private final String keySubject;
        private final String valueSubject;
        /** Answers learnt by asking (null until a pass had to ask). */
        private Map<Integer, ParsedSchema> schemas;
        private Map<String, Boolean> memberships;
        /** What the current pass could not answer from memory. */
        private Set<Integer> missingIds;
        private Map<String, Future<Boolean>> pendingMemberships;
        /** Per side, the last id found under its subject: the records of a batch mostly share one. */
        private int keyIdSeen = WireFormat.NONE;
        private int valueIdSeen = WireFormat.NONE;

        Check(String topic, TopicSchemaRules rules, List<ProducerRecord> records) {
            this.topic = topic;
            this.rules = rules;
            this.records = records;
            this.keySubject = fixedSubject(true);
            this.valueSubject = fixedSubject(false);
        }

        private String fixedSubject(boolean isKey) {
            TopicSchemaRules.Side side = rules.side(isKey);
            return side.validate() && !side.needsSchemaForSubject() ? rules.subject(topic, isKey, null) : null;
        }

        Future<Void> round(int pass) {
            String violation = pass();
            if (violation != null) {
                return Future.failedFuture(new SluiceException(ErrorCode.SCHEMA_VIOLATION, violation));
            }
            if (missingIds == null && pendingMemberships == null) {
                return Future.succeededFuture();
            }
            if (pass == MAX_PASSES) {
                return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE,
                        "the schema registry did not answer what validating records of '" + topic + "' needs"));
            }
            return ask().compose(v -> round(pass + 1));
        }

        /** Asks for every missing schema and membership at once; remembers the answers. */
        private Future<Void> ask() {
            if (schemas == null) {
                schemas = new HashMap<>();
                memberships = new HashMap<>();
            }
            List<Future<?>> asked = new ArrayList<>();
            if (missingIds != null) {
                for (int id : missingIds) {
                    asked.add(lookup.schemaById(id).transform(ar -> {
                        if (ar.succeeded()) {
                            schemas.put(id, ar.result());
                        } else if (ar.cause() instanceof UnknownSchemaException) {
                            schemas.put(id, null);
                        } else {
                            return Future.failedFuture(ar.cause());
                        }
                        return Future.succeededFuture();
                    }));
                }
            }
            if (pendingMemberships != null) {
                pendingMemberships.forEach((key, answer) -> asked.add(answer.onSuccess(yes -> memberships.put(key, yes))));
            }
            missingIds = null;
            pendingMemberships = null;
            return Future.all(asked).mapEmpty();
        }

        /**
         * Checks every record with what is known; the first violation found, or null (with
         * {@link #missingIds} and {@link #pendingMemberships} saying whether anything was unknown).
         */
        private String pass() {
            boolean keys = rules.key().validate();
            boolean values = rules.value().validate();
            for (int i = 0; i < records.size(); i++) {
                ProducerRecord r = records.get(i);
                if (keys) {
                    String v = side(i, true, r.keyArray(), r.keyOffset(), r.keyLength());
                    if (v != null) {
                        return v;
                    }
                }
                if (values) {
                    String v = side(i, false, r.valueArray(), r.valueOffset(), r.valueLength());
                    if (v != null) {
                        return v;
                    }
                }
            }
            return null;
        }

        /** One key or value: a violation, or null (also when the answer is not known yet). */
        private String side(int index, boolean isKey, byte[] array, int offset, int length) {
            String what = isKey ? "key" : "value";
            if (length < 0) {
                if (!isKey && rules.tombstones()) {
                    return null;
                }
                return where(index, what) + " is null; topic '" + topic + "' validates " + what + "s"
                        + (isKey ? "" : " (a null value is accepted only as a tombstone, on a compacted topic)");
            }
            int id = WireFormat.schemaId(array, offset, length);
            if (id == WireFormat.NONE) {
                return where(index, what) + " is not in Confluent's wire format (magic byte 0, then a 4-byte schema id); topic '"
                        + topic + "' validates " + what + "s";
            }
            ParsedSchema schema = schema(id);
            if (schema == null) {
                if (schemas != null && schemas.containsKey(id)) {
                    return where(index, what) + " has schema id " + id + ", which is not registered";
                }
                return null;
            }
            if (id != (isKey ? keyIdSeen : valueIdSeen)) {
                String subject = isKey ? keySubject : valueSubject;
                if (subject == null) {
                    try {
                        subject = rules.subject(topic, isKey, schema);
                    } catch (IllegalArgumentException e) {
                        return where(index, what) + " has schema id " + id + ", which has no record name; "
                                + rules.side(isKey).strategy().className() + " needs one";
                    }
                }
                Boolean registered = registered(subject, id);
                if (registered == null) {
                    return null;
                }
                if (!registered) {
                    return where(index, what) + " has schema id " + id + ", which is not registered under subject '"
                            + subject + "'";
                }
                if (isKey) {
                    keyIdSeen = id;
                } else {
                    valueIdSeen = id;
                }
            }
            try {
                schema.validate(WireFormat.payload(array, offset, length));
            } catch (InvalidPayloadException e) {
                return where(index, what) + " does not decode with schema id " + id + ": " + e.getMessage();
            } catch (RuntimeException e) {
                // A decoder's own failure on hostile bytes is still the payload's fault, never the node's.
                return where(index, what) + " does not decode with schema id " + id + ": " + e;
            }
            return null;
        }

        /** The schema of {@code id} if known; else null, noting it as missing unless it is known to be absent. */
        private ParsedSchema schema(int id) {
            ParsedSchema s = lookup.cachedById(id);
            if (s != null) {
                return s;
            }
            if (schemas != null && schemas.containsKey(id)) {
                return schemas.get(id);
            }
            if (missingIds == null) {
                missingIds = new HashSet<>();
            }
            missingIds.add(id);
            return null;
        }

        /** Whether {@code id} is under {@code subject} if known now; else null, noting the question. */
        private Boolean registered(String subject, int id) {
            String key = subject + '\u0000' + id;
            if (memberships != null) {
                Boolean known = memberships.get(key);
                if (known != null) {
                    return known;
                }
            }
            Future<Boolean> answer = lookup.isRegisteredUnder(subject, id);
            if (answer.succeeded()) {
                return answer.result();
            }
            if (pendingMemberships == null) {
                pendingMemberships = new HashMap<>();
            }
            pendingMemberships.putIfAbsent(key, answer);
            return null;
        }

        private static String where(int index, String what) {
            return "records[" + index + "]." + what;
        }
    }
}

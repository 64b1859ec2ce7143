package io.sluice.schema;

import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes sure the schemas a chunk of fetched records names are parsed on this node before the chunk
 * is rendered as typed JSON: rendering runs on an event loop and may only read the lookup's memory
 * ({@link SchemaLookup#cachedById}), so the ids it lacks are loaded first, all at once. A chunk whose
 * schemas are all known (the usual case) costs one pass over its keys' and values' first five bytes.
 */
public final class SchemaIds {
    private SchemaIds() {
    }

    /**
     * Loads every schema id named by a key or value of the batches in {@code records} (from its
     * position to its limit, not moved) that {@code lookup} has not parsed yet. Completes when all
     * were asked, whatever the answers: an id that stays unknown is rendered as such.
     */
    public static Future<Void> load(SchemaLookup lookup, ByteBuffer records) {
        Set<Integer> missing = null;
        RecordCursor cursor = new RecordCursor();
        for (int pos = records.position(); pos < records.limit(); ) {
            RecordBatch b = RecordBatch.at(records, pos);
            pos += b.sizeInBytes();
            cursor.reset(b);
            while (cursor.next()) {
                missing = note(lookup, missing, WireFormat.schemaId(cursor.buffer(), cursor.keyPosition(), cursor.keySize()));
                missing = note(lookup, missing, WireFormat.schemaId(cursor.buffer(), cursor.valuePosition(), cursor.valueSize()));
            }
        }
        if (missing == null) {
            return Future.succeededFuture();
        }
        List<Future<ParsedSchema>> asked = new ArrayList<>(missing.size());
        for (int id : missing) {
            asked.add(lookup.schemaById(id));
        }
        return Future.join(asked).otherwiseEmpty().mapEmpty();
    }

    private static Set<Integer> note(SchemaLookup lookup, Set<Integer> missing, int id) {
        if (id == WireFormat.NONE || lookup.cachedById(id) != null) {
            return missing;
        }
        Set<Integer> out = missing == null ? new HashSet<>() : missing;
        out.add(id);
        return out;
    }
}

package io.sluice.tools.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stored value bytes are exactly --record-size (json format: the JSON text, quotes included). */
class PayloadsTest {
    @Test
    void valuesHaveExactlyTheRecordSize() {
        for (int size : new int[] {2, 3, 100, 1000}) {
            assertEquals(size, Payloads.value(size).getBytes(StandardCharsets.UTF_8).length);
        }
        String stamped = Payloads.stampedValue(100, 12345, 987654321012345L);
        assertEquals(100, stamped.length());
        assertEquals("\"12345:987654321012345:", stamped.substring(0, 23));
    }

    @Test
    void bodiesHoldTheRequestedRecords() {
        JsonArray batch = Payloads.batchBody(7, 100).toJsonObject().getJsonArray("records");
        assertEquals(7, batch.size());
        assertEquals(98, batch.getJsonObject(0).getString("value").length());
        String[] lines = Payloads.ndjsonBody(5, 100).toString().split("\n");
        assertEquals(5, lines.length);
        assertEquals(98, new JsonObject(lines[4]).getString("value").length());
        String frame = new String(Payloads.wsFramePrefix(3, 100), StandardCharsets.UTF_8) + "17}";
        assertEquals(17, new JsonObject(frame).getInteger("context"));
        assertEquals(3, new JsonObject(frame).getJsonArray("records").size());
    }

    @Test
    void keyedBodiesCycleThroughTheKeySpace() {
        JsonArray batch = Payloads.keyedBatchBody(5, 100, 3).toJsonObject().getJsonArray("records");
        assertEquals(5, batch.size());
        assertEquals("k0", batch.getJsonObject(0).getString("key"));
        assertEquals("k2", batch.getJsonObject(2).getString("key"));
        assertEquals("k1", batch.getJsonObject(4).getString("key"));
        assertEquals(98, batch.getJsonObject(4).getString("value").length());
        assertEquals("k7", new JsonObject(Payloads.record(7, Payloads.value(10))).getString("key"));
    }
}

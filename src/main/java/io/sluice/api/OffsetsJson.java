package io.sluice.api;

import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public JSON shape of group offsets, {@code [{"topic":..,"partition":..,"offset":..}]}, as
 * HTTP bodies and WebSocket commit frames carry them, in both directions.
 */
public final class OffsetsJson {
    private OffsetsJson() {
    }

    /** {@code [{topic, partition, offset}]} → offsets in the order given, or 400 naming what is wrong. */
    public static Map<TopicPartition, Long> parse(JsonArray offsets) {
        if (offsets == null || offsets.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'offsets' must be a non-empty array of {topic, partition, offset}");
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (Object o : offsets) {
            if (!(o instanceof JsonObject j) || !(j.getValue("topic") instanceof String t)
                    || !(j.getValue("partition") instanceof Integer p) || p < 0
                    || !(j.getValue("offset") instanceof Integer || j.getValue("offset") instanceof Long)
                    || j.getLong("offset") < 0) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "each offset needs 'topic' (string), 'partition' "
                        + "(integer >= 0) and 'offset' (integer >= 0): " + o);
            }
            out.put(new TopicPartition(t, p), j.getLong("offset"));
        }
        return out;
    }

    public static JsonArray toJson(Map<TopicPartition, Long> offsets) {
        JsonArray out = new JsonArray();
        offsets.forEach((tp, o) -> out.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()).put("offset", o)));
        return out;
    }
}

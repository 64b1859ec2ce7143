package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import io.sluice.schema.RequestSchema;

import java.util.List;

/**
 * A typed produce body as parsed: its records, whose keys and values still hold their JSON text
 * (slices of the body), and the schemas the body names for keys and values (null where it names none).
 */
public record SchemaBatch(List<ProducerRecord> records, RequestSchema keySchema, RequestSchema valueSchema) {
}

package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The one Jackson {@link JsonFactory} of this package. A factory is thread-safe and owns the
 * field-name symbol tables its parsers share, so one instance serves every parser and writer.
 */
final class JsonFactories {
    /**
     * Field names are canonicalized (the record fields are a handful of names) but not
     * {@link String#intern() interned}: header names come from clients, and interning them would
     * let any client grow the JVM's string table. Locations omit the source so that error
     * messages never echo a client's bytes back.
     */
    static final JsonFactory SHARED = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private JsonFactories() {
    }
}

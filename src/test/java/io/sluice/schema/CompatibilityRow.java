package io.sluice.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One row of a schema language's compatibility table: the versions of a subject oldest first (the
 * last is the proposed one), the level, and the refusal expected (a part of one of the messages;
 * null: accepted). The JSON Schema and Protobuf tables are written in these rows.
 */
public record CompatibilityRow(String name, CompatibilityLevel level, List<String> versions, String refusal) {

    public static CompatibilityRow ok(String name, CompatibilityLevel level, String... versions) {
        return new CompatibilityRow(name, level, List.of(versions), null);
    }

    public static CompatibilityRow refused(String name, CompatibilityLevel level, String refusal, String... versions) {
        return new CompatibilityRow(name, level, List.of(versions), refusal);
    }

    /** Parses the versions with {@code provider} and checks the last against the others at the row's level. */
    public void assertHolds(SchemaProvider provider) throws InvalidSchemaException {
        List<ParsedSchema> parsed = new ArrayList<>();
        for (String v : versions) {
            parsed.add(provider.parse(v, List.of(), Map.of()));
        }
        ParsedSchema proposed = parsed.remove(parsed.size() - 1);
        List<String> messages = level.check(proposed, parsed);
        if (refusal == null) {
            assertEquals(List.of(), messages, name);
        } else {
            assertTrue(messages.stream().anyMatch(m -> m.contains(refusal)), name + ": expected " + refusal + " in " + messages);
        }
    }

    @Override
    public String toString() {
        return name + " [" + level + "]";
    }
}

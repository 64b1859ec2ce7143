package io.sluice.schema.registry;

import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaType;
import io.sluice.testing.Await;
import io.sluice.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node-local lookup side validation and typed JSON use: a schema registered through one node
 * is found by id on another at once, parsed once and cached, and checked against its subject.
 */
class SchemaLookupTest {
    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void schemasByIdAndSubjectFromAnyNode() throws Exception {
        cluster = new TestCluster(dir, 2, 0, "offsets.topic.num.partitions=1");
        SchemaRegistry first = cluster.node(0).node().registry();
        SchemaRegistry second = cluster.node(1).node().registry();
        String text = "{\"type\":\"record\",\"name\":\"V\",\"fields\":[{\"name\":\"n\",\"type\":\"long\"}]}";
        int id = Await.result(first.register("clicks-value", SchemaType.AVRO, text, List.of()));
        ParsedSchema parsed = Await.result(second.schemaById(id));
        assertEquals("V", parsed.recordName());
        assertSame(parsed, Await.result(second.schemaById(id)), "parsed once, then cached");
        assertTrue(second.isRegisteredUnder("clicks-value", id));
        assertFalse(second.isRegisteredUnder("other-value", id));
        parsed.validate(ByteBuffer.wrap(parsed.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"n\":5}"))));
        assertEquals(id, Await.result(second.latest("clicks-value")).id());
        RegistryException missing = assertThrows(RegistryException.class, () -> Await.result(second.schemaById(id + 100)));
        assertEquals(RegistryError.SCHEMA_NOT_FOUND, missing.error());
    }
}

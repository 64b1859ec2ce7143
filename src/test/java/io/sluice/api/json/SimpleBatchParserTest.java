package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link SimpleBatchParser} returns exactly what the Jackson path returns for every body it
 * accepts, and gives up on every body the Jackson path refuses: compared over hand-picked bodies
 * and over bodies generated from the produce grammar and then mutated a byte at a time.
 */
class SimpleBatchParserTest {
    private final ProduceParser parser = new ProduceParser();

    @Test
    void theCommonShapesAreReadWithoutJackson() {
        for (String body : List.of(
                "{\"records\":[{\"value\":\"xxxx\"}]}",
                " {\n\"records\" : [ {\"key\":\"k\", \"value\":{\"a\":1}} ] }",
                "{\"records\":[{\"value\":12.5e-3},{\"value\":true},{\"key\":null,\"value\":false},{}]}",
                "{\"records\":[{\"value\":\"v\",\"partition\":0,\"timestamp\":1733400000000}]}")) {
            boolean nested = body.contains("{\\\"a\\\"") || body.contains("{\"a\"");
            List<ProducerRecord> simple = SimpleBatchParser.tryParse(bytes(body), 0, bytes(body).length, RecordFormat.JSON);
            if (nested) {
                assertNull(simple, "objects as values are left to Jackson: " + body);
            } else {
                assertNotNull(simple, body);
            }
            assertSameAsJackson(body, RecordFormat.JSON);
        }
        assertNotNull(simple("{\"records\":[{\"value\":\"t\"}]}", RecordFormat.TEXT));
    }

    @Test
    void anythingOutsideTheSubsetIsLeftToJackson() {
        for (String body : List.of(
                "{\"records\":[]}", "{\"records\":[{\"value\":\"a\\nb\"}]}", "{\"records\":[{\"value\":\"é\"}]}",
                "{\"records\":[{\"headers\":{\"h\":\"v\"}}]}", "{\"records\":[{\"producer_id\":1,\"sequence\":0}]}",
                "{\"records\":[{\"value\":1,\"value\":2}]}", "{\"records\":[{\"value\":01}]}",
                "{\"records\":[{\"partition\":-1}]}", "{\"records\":[{\"partition\":2147483648}]}",
                "{\"records\":[{\"timestamp\":1.5}]}", "{\"records\":[{\"value\":\"x\"}]} x", "{\"records\":[{\"value\":\"x\"}],}",
                "{\"records\":[{\"value\":\"x\"}]", "{\"other\":[]}", "[]", "")) {
            assertNull(SimpleBatchParser.tryParse(bytes(body), 0, bytes(body).length, RecordFormat.JSON), body);
        }
        assertNull(simple("{\"records\":[{\"value\":1}]}", RecordFormat.TEXT));
        assertNull(simple("{\"records\":[{\"value\":\"AA==\"}]}", RecordFormat.BINARY));
    }

    @Test
    void generatedAndMutatedBodiesReadAsJacksonReadsThem() {
        Random random = new Random(20261205);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String body = body(random);
            if (random.nextInt(3) > 0) {
                body = mutate(body, random);
            }
            RecordFormat format = random.nextInt(4) == 0 ? RecordFormat.TEXT : RecordFormat.JSON;
            if (assertSameAsJackson(body, format)) {
                accepted++;
            }
        }
        // (The comparison must have covered many accepted bodies, not only refusals.)
        assertEquals(true, accepted > 2_000, "bodies read by the simple parser: " + accepted);
    }

    /** Compares both paths on {@code body}; true when the simple parser accepted it. */
    private boolean assertSameAsJackson(String body, RecordFormat format) {
        byte[] padded = bytes("##" + body + "##"); // (an offset into a larger array, as request bodies are)
        int length = bytes(body).length;
        List<ProducerRecord> simple = SimpleBatchParser.tryParse(padded, 2, length, format);
        List<ProducerRecord> jackson;
        try {
            jackson = parser.parseBatchWithJackson(padded, 2, length, format);
        } catch (ProduceParseException refused) {
            assertNull(simple, "Jackson refuses what the simple parser read: " + body + " (" + refused.getMessage() + ")");
            return false;
        }
        if (simple == null) {
            return false;
        }
        assertEquals(jackson.size(), simple.size(), body);
        for (int i = 0; i < jackson.size(); i++) {
            ProducerRecord j = jackson.get(i);
            ProducerRecord s = simple.get(i);
            String where = body + " record " + i;
            assertEquals(render(j.keyBytes()), render(s.keyBytes()), where + " key");
            assertEquals(render(j.valueBytes()), render(s.valueBytes()), where + " value");
            assertEquals(j.keyLength(), s.keyLength(), where);
            assertEquals(j.valueLength(), s.valueLength(), where);
            assertEquals(j.headers(), s.headers(), where);
            assertEquals(j.timestamp(), s.timestamp(), where);
            assertEquals(j.partition(), s.partition(), where);
            assertEquals(j.producerId(), s.producerId(), where);
            assertEquals(j.producerEpoch(), s.producerEpoch(), where);
            assertEquals(j.sequence(), s.sequence(), where);
            assertEquals(j.attributes(), s.attributes(), where);
            assertEquals(j.estimatedSize(), s.estimatedSize(), where);
        }
        return true;
    }

    private static String render(byte[] b) {
        return b == null ? "null" : Arrays.toString(b);
    }

    private static final String[] VALUES = {"\"x\"", "\"\"", "\"hello world\"", "null", "0", "-0", "12", "-3.25",
            "1e9", "2E-3", "true", "false", "{}", "[1,2]", "\"a\\\"b\"", "\"\\u00e9\""};
    private static final String[] INTEGERS = {"0", "7", "42", "1733400000000", "null", "2147483647", "9223372036854775807"};
    private static final String[] SPACE = {"", "", "", " ", "\n", "\t ", "\r\n"};

    private static String body(Random random) {
        StringBuilder b = new StringBuilder(sp(random) + "{" + sp(random) + "\"records\"" + sp(random) + ":" + sp(random) + "[");
        int records = 1 + random.nextInt(3);
        for (int r = 0; r < records; r++) {
            if (r > 0) {
                b.append(sp(random)).append(',');
            }
            b.append(sp(random)).append('{');
            List<String> fields = new java.util.ArrayList<>(List.of("key", "value", "partition", "timestamp"));
            java.util.Collections.shuffle(fields, random);
            int n = random.nextInt(fields.size() + 1);
            for (int f = 0; f < n; f++) {
                String name = fields.get(f);
                String v = name.equals("key") || name.equals("value")
                        ? VALUES[random.nextInt(VALUES.length)] : INTEGERS[random.nextInt(INTEGERS.length)];
                b.append(f > 0 ? "," : "").append(sp(random)).append('"').append(name).append('"').append(sp(random))
                        .append(':').append(sp(random)).append(v).append(sp(random));
            }
            b.append('}');
        }
        return b.append(sp(random)).append(']').append(sp(random)).append('}').append(sp(random)).toString();
    }

    private static String sp(Random random) {
        return SPACE[random.nextInt(SPACE.length)];
    }

    private static final String MUTATIONS = "{}[]\":,0123456789-+.eEntrufalsx \\\n";

    private static String mutate(String body, Random random) {
        StringBuilder b = new StringBuilder(body);
        int at = random.nextInt(b.length() + 1);
        switch (random.nextInt(3)) {
            case 0 -> b.insert(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
            case 1 -> {
                if (at < b.length()) {
                    b.deleteCharAt(at);
                }
            }
            default -> {
                if (at < b.length()) {
                    b.setCharAt(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
                }
            }
        }
        return b.toString();
    }

    private static List<ProducerRecord> simple(String body, RecordFormat format) {
        return SimpleBatchParser.tryParse(bytes(body), 0, bytes(body).length, format);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

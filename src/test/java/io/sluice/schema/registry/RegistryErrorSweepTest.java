package io.sluice.schema.registry;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registry route tried the way a careless or hostile client would: undecodable and absurd
 * paths and queries, bodies that are not JSON, not objects, not the content type, deeply nested or
 * not UTF-8. Every answer is a 2xx or a 4xx (never a 5xx for a client's mistake) and every error is
 * Confluent's {@code {"error_code","message"}} in the registry's content type.
 */
class RegistryErrorSweepTest {
    private static final String V1 = RegistryClient.V1;
    private static final List<String[]> ROUTES = List.of(
            new String[]{"GET", "/subjects"}, new String[]{"POST", "/subjects/S/versions"}, new String[]{"GET", "/subjects/S/versions"},
            new String[]{"GET", "/subjects/S/versions/V"}, new String[]{"GET", "/subjects/S/versions/V/schema"},
            new String[]{"GET", "/subjects/S/versions/V/referencedby"}, new String[]{"DELETE", "/subjects/S/versions/V"},
            new String[]{"POST", "/subjects/S"}, new String[]{"DELETE", "/subjects/S"}, new String[]{"GET", "/schemas/types"},
            new String[]{"GET", "/schemas/ids/I"}, new String[]{"GET", "/schemas/ids/I/schema"}, new String[]{"GET", "/schemas/ids/I/subjects"},
            new String[]{"GET", "/schemas/ids/I/versions"}, new String[]{"POST", "/compatibility/subjects/S/versions/V"},
            new String[]{"POST", "/compatibility/subjects/S/versions"}, new String[]{"GET", "/config"}, new String[]{"PUT", "/config"},
            new String[]{"GET", "/config/S"}, new String[]{"PUT", "/config/S"}, new String[]{"GET", "/mode"}, new String[]{"PUT", "/mode/S"},
            new String[]{"GET", "/mode/S"});

    @TempDir
    Path dir;

    @Test
    void everyRegistryRouteAnswersMistakesInConfluentsShape() {
        List<String> gaps = new ArrayList<>();
        int probes = 0;
        try (TestNode node = TestNode.start(dir); HttpTestClient http = new HttpTestClient(node.port());
             RegistryClient c = new RegistryClient(http)) {
            c.register("known", "{\"type\":\"record\",\"name\":\"K\",\"fields\":[]}");
            for (String[] route : ROUTES) {
                HttpMethod method = HttpMethod.valueOf(route[0]);
                String pattern = route[1];
                for (String[] values : List.of(new String[]{"known", "1", "1"}, new String[]{"x".repeat(300), "99999999999", "-7"},
                        new String[]{"%zz", "%", "%"}, new String[]{"a%20b", "latest", "1.5"}, new String[]{"..", "-1", "0x1"})) {
                    String uri = pattern.replace("S", values[0]).replace("V", values[1]).replace("I", values[2]);
                    boolean body = method == HttpMethod.POST || method == HttpMethod.PUT;
                    String schema = new JsonObject().put("schema", "{\"type\":\"record\",\"name\":\"K\",\"fields\":[]}")
                            .put("compatibility", "FULL").put("mode", "READWRITE").encode();
                    probes += check(gaps, http, method, uri, body ? V1 : null, body ? schema : null);
                    probes += check(gaps, http, method, uri + "?deleted=%zz&normalize=maybe&subjectPrefix=%", null, null);
                    if (body) {
                        for (String bad : List.of("{nope", "[1,2]", "", "\"text\"", "[".repeat(5000) + "]".repeat(5000),
                                "{\"schema\":5,\"schemaType\":[],\"references\":{},\"id\":\"x\",\"compatibility\":7,\"mode\":null}",
                                "{\"schema\":\"{}\",\"references\":[{\"name\":1}]}")) {
                            probes += check(gaps, http, method, uri, V1, bad);
                        }
                        probes += check(gaps, http, method, uri, "text/plain", schema);
                        probes += checkBytes(gaps, http, method, uri, Buffer.buffer(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
                    }
                }
            }
        }
        assertTrue(probes > 500, "the sweep sent " + probes + " requests");
        assertTrue(gaps.isEmpty(), gaps.size() + " of " + probes + " answers break Confluent's error shape:\n" + String.join("\n", gaps));
    }

    private static int check(List<String> gaps, HttpTestClient http, HttpMethod method, String uri, String type, String body) {
        Resp r = http.send(method, uri, type, body == null ? null : Buffer.buffer(body), Map.of("accept", V1));
        verify(gaps, method + " " + uri + " " + type + " " + (body == null ? "" : body.substring(0, Math.min(60, body.length()))), r);
        return 1;
    }

    private static int checkBytes(List<String> gaps, HttpTestClient http, HttpMethod method, String uri, Buffer body) {
        Resp r = http.send(method, uri, V1, body, Map.of("accept", V1));
        verify(gaps, method + " " + uri + " invalid UTF-8", r);
        return 1;
    }

    private static void verify(List<String> gaps, String what, Resp r) {
        String where = (what.length() > 160 ? what.substring(0, 160) : what) + " -> " + r;
        if (r.status() >= 200 && r.status() < 300) {
            return;
        }
        if (r.status() >= 500 || r.status() < 400) {
            gaps.add(where);
            return;
        }
        if (!V1.equals(r.headers().get("content-type"))) {
            gaps.add("not the registry's content type: " + where);
            return;
        }
        try {
            JsonObject o = r.json();
            if (!(o.getValue("error_code") instanceof Integer) || !(o.getValue("message") instanceof String m) || m.isBlank()
                    || o.size() != 2) {
                gaps.add("not the error shape: " + where);
            }
        } catch (RuntimeException e) {
            gaps.add("not JSON: " + where);
        }
    }
}

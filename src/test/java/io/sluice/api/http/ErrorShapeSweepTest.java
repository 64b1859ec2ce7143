package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.common.Clock;
import io.sluice.config.BrokerSettings;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.testing.Await;
import io.sluice.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of {@link ApiRouter}, and requests no route takes, tried the way a careless or
 * hostile client would: wrong methods, undecodable paths, absurd path and query values, bodies
 * that are not JSON, not the content type, or too large, and request lines the HTTP codec cannot
 * parse. Every answer must be a 4xx (never a 5xx for a client's mistake) carrying the API's
 * {@code {"error_code","message"}} as application/json. The routes come from the router itself,
 * so a new route is swept without changing this test.
 */
class ErrorShapeSweepTest {
    /** Produce bodies above this are refused (set small so that oversize bodies are cheap to send). */
    private static final int MAX_BODY = 64 * 1024;
    /** The admin endpoints' body limit ({@link ApiRouter}). */
    private static final int ADMIN_MAX_BODY = 1 << 20;
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);
    /** Routes that take a request body and read it as JSON, besides every other POST and PATCH route. */
    private static final Set<String> NO_BODY_ROUTES = Set.of("POST /cluster/rebalance");
    /** Routes whose body may be absent (a ticket bound to no path): no body is no mistake there. */
    private static final Set<String> OPTIONAL_BODY_ROUTES = Set.of("POST /ws/tickets");

    @TempDir
    static Path dir;
    private static TestNode node;
    private static Vertx vertx;
    /** Every route's methods, by path pattern (e.g. {@code /topics/:topic} → GET, POST, DELETE). */
    private static Map<String, Set<HttpMethod>> routes;

    @BeforeAll
    static void startNode() {
        node = TestNode.start(dir, "sluice.http.max.body.bytes=" + MAX_BODY);
        vertx = Vertx.vertx();
        routes = routesOfTheRouter(vertx);
        Answer created = send(HttpMethod.POST, "/topics", "application/json",
                Buffer.buffer(new JsonObject().put("name", "t").put("partitions", 1).encode()), Map.of());
        assertEquals(201, created.status, created.toString());
        Answer produced = send(HttpMethod.POST, "/topics/t/records", "application/json",
                Buffer.buffer("{\"records\":[{\"value\":1}]}"), Map.of());
        assertEquals(200, produced.status, produced.toString());
    }

    @AfterAll
    static void stopNode() {
        if (vertx != null) {
            Await.result(vertx.close());
        }
        if (node != null) {
            node.close();
        }
    }

    /** The router's routes with a path and methods, built over an Api that only has what routing needs. */
    private static Map<String, Set<HttpMethod>> routesOfTheRouter(Vertx vertx) {
        SluiceMetrics metrics = new SluiceMetrics(Clock.SYSTEM);
        Api api = new Api(vertx, "sweep", BrokerSettings.defaults(), null, null, null, null, null, null,
                metrics, null, null, null, Clock.SYSTEM, io.sluice.security.Security.disabled(),
                io.sluice.quota.Quotas.unlimited(metrics.registry(), Clock.SYSTEM::monotonicMillis), null, null);
        ProduceDispatch dispatch = (ProduceDispatch) ApiRouter.create(vertx, api);
        Map<String, Set<HttpMethod>> byPath = new TreeMap<>();
        for (Route route : dispatch.router().getRoutes()) {
            if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
                byPath.computeIfAbsent(route.getPath(), p -> new TreeSet<>((a, b) -> a.name().compareTo(b.name())))
                        .addAll(route.methods());
            }
        }
        assertTrue(byPath.containsKey("/topics/:topic/records") && byPath.containsKey("/metrics")
                && byPath.containsKey("/ws/consume"), "the router's routes were found: " + byPath.keySet());
        return byPath;
    }

    @Test
    void everyRouteAnswersMistakesWithTheErrorShape() {
        List<String> gaps = new ArrayList<>();
        int probes = 0;
        for (Map.Entry<String, Set<HttpMethod>> route : routes.entrySet()) {
            String pattern = route.getKey();
            for (HttpMethod method : METHODS) {
                boolean served = route.getValue().contains(method);
                String uri = fill(pattern, method);
                if (!served) {
                    probes += expect(gaps, "wrong method", method, uri, null, null, 405, 40501);
                    continue;
                }
                // Undecodable: a stray '%' in every path segment that is a parameter, or in the last one.
                probes += expect(gaps, "stray % in the path", method, withStrayPercent(pattern, method), null, null, 400, 40001);
                probes += expect(gaps, "stray % in the query", method, uri + "?x=%zz&offset=%", null, null, 400, 40001);
                probes += expectShape(gaps, "absurd query values", method, uri
                        + "?max_records=-1&timeout_ms=abc&offset=-5&acks=banana&format=nope&partition=99999999999"
                        + "&count=x&credit=-3&from=never&group=&topics=", null, null);
                for (String absurd : absurdPathValues(pattern)) {
                    probes += expectClientError(gaps, "absurd path value", method, absurd, null, null);
                }
                boolean readsBody = (method == HttpMethod.POST || method == HttpMethod.PATCH)
                        && !NO_BODY_ROUTES.contains(method.name() + " " + pattern);
                if (readsBody) {
                    probes += bodyProbes(gaps, method, pattern, uri);
                }
            }
        }
        assertTrue(probes > 150, "the sweep sent " + probes + " requests");
        assertTrue(gaps.isEmpty(), gaps.size() + " of " + probes + " answers break the error shape:\n" + String.join("\n", gaps));
    }

    private static int bodyProbes(List<String> gaps, HttpMethod method, String pattern, String uri) {
        boolean produce = pattern.equals("/topics/:topic/records") || pattern.equals("/topics/:topic");
        int limit = produce ? MAX_BODY : ADMIN_MAX_BODY;
        int n = 0;
        Buffer hugeForm = Buffer.buffer("a=" + "x".repeat(2 * ADMIN_MAX_BODY));
        n += expect(gaps, "huge form body", method, uri, "application/x-www-form-urlencoded", hugeForm, 415, 41501);
        n += expect(gaps, "small form body", method, uri, "application/x-www-form-urlencoded", Buffer.buffer("name=x"), 415, 41501);
        n += expect(gaps, "multipart body", method, uri, "multipart/form-data; boundary=XyZ",
                Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n"
                        + "x".repeat(20_000) + "\r\n--XyZ--\r\n"), 415, 41501);
        n += expect(gaps, "text body", method, uri, "text/plain", Buffer.buffer("{}"), 415, 41501);
        n += expect(gaps, "oversize JSON body", method, uri, "application/json",
                Buffer.buffer("{\"records\":[{\"value\":\"" + "x".repeat(limit) + "\"}]}"), 413, 41302);
        n += expectClientError(gaps, "malformed JSON", method, uri, "application/json", Buffer.buffer("{nope"));
        n += expectClientError(gaps, "a JSON array", method, uri, "application/json", Buffer.buffer("[1,2]"));
        if (!OPTIONAL_BODY_ROUTES.contains(method.name() + " " + pattern)) {
            n += expectClientError(gaps, "no body", method, uri, "application/json", null);
        }
        n += expectClientError(gaps, "invalid UTF-8", method, uri, "application/json",
                Buffer.buffer(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
        n += expectClientError(gaps, "deep nesting", method, uri, "application/json",
                Buffer.buffer("[".repeat(5000) + "]".repeat(5000)));
        return n;
    }

    @Test
    void unknownPathsAndUndecodablePathsAreNotFoundOrBadRequest() {
        List<String> gaps = new ArrayList<>();
        for (String uri : List.of("/nope", "/topics/t/nope", "/topics/t/partitions/0/nope", "/console/x", "/ws/nope",
                "/topics/t/records/extra")) {
            expect(gaps, "unknown path", HttpMethod.GET, uri, null, null, 404, 40404);
        }
        for (String uri : List.of("/%", "/topics/%", "/topics/%zz", "/%E0%A4%A", "/topics/t/partitions/0/records?offset=%zz",
                "/topics?x=%")) {
            expect(gaps, "undecodable URI", HttpMethod.GET, uri, null, null, 400, 40001);
        }
        expect(gaps, "undecodable produce path", HttpMethod.POST, "/topics/t%zz/records", "application/json",
                Buffer.buffer("{\"records\":[]}"), 400, 40001);
        expect(gaps, "OPTIONS without CORS", HttpMethod.OPTIONS, "/topics", null, null, 405, 40501);
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void absurdQueryValuesOfTheFetchAndProduceRoutesAreBadRequests() {
        List<String> gaps = new ArrayList<>();
        String fetch = "/topics/t/partitions/0/records?";
        for (String q : List.of("offset=0&max_records=-1", "offset=0&max_records=0", "offset=0&max_records=abc",
                "offset=0&max_records=99999999999999999999", "offset=0&timeout_ms=abc", "offset=0&timeout_ms=-1",
                "offset=0&timeout_ms=1e9", "offset=abc", "offset=99999999999999999999")) {
            expectClientError(gaps, "fetch " + q, HttpMethod.GET, fetch + q, null, null);
        }
        expect(gaps, "fetch offset=-5", HttpMethod.GET, fetch + "offset=-5", null, null, 400, 40007);
        expect(gaps, "partition out of int range", HttpMethod.GET, "/topics/t/partitions/99999999999/records", null, null,
                404, 40402);
        expect(gaps, "negative partition", HttpMethod.GET, "/topics/t/partitions/-1/offsets", null, null, 404, 40402);
        expect(gaps, "partition beyond the topic's", HttpMethod.GET, "/topics/t/partitions/7/offsets", null, null, 404, 40402);
        Buffer records = Buffer.buffer("{\"records\":[{\"value\":1}]}");
        for (String q : List.of("acks=banana", "timeout_ms=abc", "timeout_ms=-1")) {
            expectClientError(gaps, "produce " + q, HttpMethod.POST, "/topics/t/records?" + q, "application/json", records);
        }
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void aWebSocketEndpointAsksForAProperHandshake() {
        List<String> gaps = new ArrayList<>();
        expect(gaps, "plain GET", HttpMethod.GET, "/ws/consume?topics=t", null, null, 400, 40001);
        expect(gaps, "plain GET", HttpMethod.GET, "/ws/produce?topic=t", null, null, 400, 40001);
        Map<String, String> oldVersion = Map.of("connection", "Upgrade", "upgrade", "websocket",
                "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version", "8");
        Answer a = send(HttpMethod.GET, "/ws/consume?topics=t", null, null, oldVersion);
        check(gaps, "old WebSocket version", a, 426, 42601);
        assertEquals("13", a.headers.get("sec-websocket-version"), a.toString());
        Map<String, String> noKey = Map.of("connection", "Upgrade", "upgrade", "websocket", "sec-websocket-version", "13");
        check(gaps, "no Sec-WebSocket-Key", send(HttpMethod.GET, "/ws/produce?topic=t", null, null, noKey), 400, 40001);
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void requestsTheHttpCodecCannotParseGetTheErrorShapeAndTheConnectionCloses() throws IOException {
        Map<String, int[]> cases = new LinkedHashMap<>();
        cases.put("GARBAGE\r\n\r\n", new int[] {400, 40001});
        cases.put("GET /topics HTTP/1.1 junk\r\nHost: x\r\n\r\n", new int[] {400, 40001});
        cases.put("GET /topics t HTTP/1.1\r\nHost: x\r\n\r\n", new int[] {400, 40001});
        cases.put("GET /topics HTTP/9.9\r\nHost: x\r\n\r\n", new int[] {505, 50501});
        cases.put("GET /topics HTTP/2.0\r\nHost: x\r\n\r\n", new int[] {505, 50501});
        cases.put("GET /topics HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", new int[] {400, 40001});
        cases.put("POST /topics HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", new int[] {400, 40001});
        cases.put("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", new int[] {414, 41401});
        cases.put("GET /topics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", new int[] {431, 43101});
        cases.put("GET /topics HTTP/1.1\r\n\r\n", new int[] {400, 40001});
        cases.put("GET topics HTTP/1.1\r\nHost: x\r\n\r\n", new int[] {404, 40404});
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<String, int[]> c : cases.entrySet()) {
            String label = c.getKey().length() > 60 ? c.getKey().substring(0, 60) + "..." : c.getKey();
            check(gaps, "raw " + label.replace("\r\n", "\\r\\n"), raw(c.getKey().getBytes(StandardCharsets.ISO_8859_1)),
                    c.getValue()[0], c.getValue()[1]);
        }
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void aHugeFormBodyIsRefusedBeforeItIsRead() throws IOException {
        // Content-Length announces a gigabyte and no byte of it is sent: the 415 can only come
        // before the body is read, so nothing of it is buffered or decoded.
        for (String path : List.of("/topics", "/topics/t/partitions", "/groups/g/offsets", "/topics/t/records", "/topics/t")) {
            for (String framing : List.of("Content-Length: 1073741824", "Transfer-Encoding: chunked")) {
                Answer a = raw(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + framing + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                List<String> gaps = new ArrayList<>();
                check(gaps, path + " " + framing, a, 415, 41501);
                assertTrue(gaps.isEmpty(), String.join("\n", gaps));
            }
        }
        // And the node still serves.
        assertEquals(200, send(HttpMethod.GET, "/topics/t", null, null, Map.of()).status);
    }

    @Test
    void aConnectionServesTheNextRequestAfterAnErrorAnsweredBeforeTheBody() throws IOException {
        // Pipelined on one connection: a form body (refused from its headers), then a GET. The
        // node reads and drops the refused body, so that the GET after it is answered.
        String form = "a=" + "x".repeat(200_000);
        byte[] requests = ("POST /topics HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + form.length() + "\r\n\r\n" + form
                + "GET /topics/t HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("\"name\":\"t\"")) {
                int n = in.read(chunk);
                assertTrue(n > 0, "the connection ended before the second answer: " + got.toString(StandardCharsets.ISO_8859_1));
                got.write(chunk, 0, n);
            }
            String both = got.toString(StandardCharsets.ISO_8859_1);
            assertTrue(both.startsWith("HTTP/1.1 415 "), both);
            assertTrue(both.contains("HTTP/1.1 200 "), both);
        }
    }

    // ---- probes ----

    /** Expects exactly {@code status} and {@code errorCode}. */
    private static int expect(List<String> gaps, String what, HttpMethod method, String uri, String contentType, Buffer body,
                              int status, int errorCode) {
        check(gaps, what + ": " + method + " " + uri, send(method, uri, contentType, body, Map.of()), status, errorCode);
        return 1;
    }

    /** Expects some 4xx with the error shape. */
    private static int expectClientError(List<String> gaps, String what, HttpMethod method, String uri, String contentType,
                                         Buffer body) {
        check(gaps, what + ": " + method + " " + uri, send(method, uri, contentType, body, Map.of()), -4, -1);
        return 1;
    }

    /** Expects no 5xx, and the error shape if it is an error at all. */
    private static int expectShape(List<String> gaps, String what, HttpMethod method, String uri, String contentType, Buffer body) {
        check(gaps, what + ": " + method + " " + uri, send(method, uri, contentType, body, Map.of()), -2, -1);
        return 1;
    }

    /**
     * Records a gap unless the answer is right. {@code status} -4: any 4xx; -2: any status below
     * 500; {@code errorCode} -1: any code that goes with the status.
     */
    private static void check(List<String> gaps, String what, Answer a, int status, int errorCode) {
        String where = shorten(what) + " -> " + a;
        if (status == -2 && a.status < 400 && a.status >= 200) {
            return;
        }
        boolean statusOk = status == -4 || status == -2 ? a.status >= 400 && a.status < 500 : a.status == status;
        if (!statusOk) {
            gaps.add(where);
            return;
        }
        if (!"application/json".equals(a.headers.get("content-type"))) {
            gaps.add("not JSON: " + where);
            return;
        }
        JsonObject json;
        try {
            json = new JsonObject(a.body.toString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            gaps.add("body is no JSON object: " + where);
            return;
        }
        Object code = json.getValue("error_code");
        Object message = json.getValue("message");
        if (!(code instanceof Integer c) || c / 100 != a.status || (errorCode != -1 && c != errorCode)
                || !(message instanceof String m) || m.isBlank() || json.size() != 2) {
            gaps.add("not the error shape: " + where);
        }
    }

    private static String shorten(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** The pattern with its parameters filled in; DELETE names things that do not exist, so that nothing is deleted. */
    private static String fill(String pattern, HttpMethod method) {
        boolean delete = method == HttpMethod.DELETE;
        return pattern.replace(":topic", delete ? "ghost" : "t").replace(":group", delete ? "ghost" : "g")
                .replace(":partition", "0").replace(":user", delete ? "ghost" : "u");
    }

    private static String withStrayPercent(String pattern, HttpMethod method) {
        String filled = fill(pattern, method);
        if (!pattern.contains(":")) {
            return filled + "%zz";
        }
        return pattern.replace(":topic", "t%zz").replace(":group", "g%").replace(":partition", "0%G1").replace(":user", "u%");
    }

    private static List<String> absurdPathValues(String pattern) {
        List<String> out = new ArrayList<>();
        if (pattern.contains(":partition")) {
            for (String p : List.of("99999999999", "-1", "abc", "1e3", "%2F")) {
                out.add(pattern.replace(":topic", "t").replace(":group", "g").replace(":partition", p));
            }
        }
        if (pattern.contains(":topic")) {
            for (String t : List.of("nope", "bad%20name!", "x".repeat(300), "%2E%2E")) {
                out.add(pattern.replace(":topic", t).replace(":group", "g").replace(":partition", "0"));
            }
        }
        if (pattern.contains(":group")) {
            for (String g : List.of("x".repeat(300), "%00")) {
                out.add(pattern.replace(":group", g));
            }
        }
        return out;
    }

    // ---- clients ----

    /** A response read whole. */
    record Answer(int status, Map<String, String> headers, Buffer body) {
        @Override
        public String toString() {
            String text = body.toString(StandardCharsets.UTF_8);
            return status + " " + headers.get("content-type") + " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
    }

    /**
     * One request on a connection of its own, written byte for byte (so that URIs no HTTP client
     * would send go out as they are), read until the node closes the connection.
     */
    private static Answer send(HttpMethod method, String uri, String contentType, Buffer body, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method.name()).append(' ').append(uri).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null || method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length()).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        Buffer request = Buffer.buffer(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.appendBuffer(body);
        }
        try {
            return raw(request.getBytes());
        } catch (IOException e) {
            return new Answer(-1, Map.of(), Buffer.buffer("no answer: " + e));
        }
    }

    /**
     * Bytes sent as they are on a socket of their own, for requests no HTTP client would write;
     * the answer is read until the server closes the connection or the body announced is in.
     */
    private static Answer raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // The node may answer from the headers and close before taking the whole body:
                // its answer is still there to read.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (true) {
                Answer a = parse(got.toByteArray());
                if (a != null) {
                    return a;
                }
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no whole answer within 10 s; got: " + got.toString(StandardCharsets.ISO_8859_1));
                }
                if (n < 0) {
                    Answer last = parse(got.toByteArray());
                    assertFalse(last == null, "the connection closed without an answer to " + shorten(new String(request,
                            StandardCharsets.ISO_8859_1)) + "; got: " + got.toString(StandardCharsets.ISO_8859_1));
                    return last;
                }
                got.write(chunk, 0, n);
            }
        }
    }

    /** A whole HTTP/1.x response with a Content-Length, or null while one is not yet in. */
    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (bytes.length < end + 4 + length) {
            return null;
        }
        return new Answer(status, headers, Buffer.buffer(java.util.Arrays.copyOfRange(bytes, end + 4, end + 4 + length)));
    }
}

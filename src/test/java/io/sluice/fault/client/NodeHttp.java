package io.sluice.fault.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP client bound to one node's management address. Every call has a deadline and returns a
 * {@link Reply} rather than throwing, classified by what the caller may conclude: an answer, a
 * connection that never opened (the request was definitely not received), or a timeout / broken
 * connection (it may or may not have been handled: indeterminate).
 */
public final class NodeHttp {
    private final String base;
    private final HttpClient client;

    public NodeHttp(String host, int port) {
        this.base = "http://" + host + ":" + port;
        // HTTP/1.1 only: the JDK client would otherwise try an h2c upgrade on every new connection.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    public String base() {
        return base;
    }

    /** How a call ended. */
    public enum Kind { ANSWER, NOT_SENT, INDETERMINATE }

    /** An HTTP answer, or why there was none ({@code status} is then -1). */
    public record Reply(Kind kind, int status, String body) {
        public boolean is(int code) {
            return kind == Kind.ANSWER && status == code;
        }
    }

    public Reply get(String path, Duration timeout) {
        return send("GET", path, null, timeout);
    }

    public Reply post(String path, String json, Duration timeout) {
        return send("POST", path, json, timeout);
    }

    public Reply send(String method, String path, String json, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (json != null) {
            b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(Kind.ANSWER, r.statusCode(), r.body());
        } catch (HttpConnectTimeoutException e) {
            return new Reply(Kind.NOT_SENT, -1, "connect timeout");
        } catch (ConnectException e) {
            return new Reply(Kind.NOT_SENT, -1, "connect failed: " + e.getMessage());
        } catch (HttpTimeoutException e) {
            return new Reply(Kind.INDETERMINATE, -1, "timeout after " + timeout);
        } catch (IOException e) {
            return new Reply(Kind.INDETERMINATE, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(Kind.INDETERMINATE, -1, "interrupted");
        }
    }
}

package io.sluice.testing;

import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on the API's one error shape. */
public final class ApiAssertions {
    private ApiAssertions() {
    }

    /** The response is {@code status} with {@code {"error_code": errorCode, "message": "..."}}. */
    public static void assertError(HttpTestClient.Resp r, int status, int errorCode) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("application/json", r.headers().get("content-type"), r.toString());
        JsonObject body = r.json();
        assertEquals(errorCode, body.getInteger("error_code"), r.toString());
        assertTrue(body.getString("message") != null && !body.getString("message").isBlank(), r.toString());
        assertNull(body.getValue("stack"));
    }
}

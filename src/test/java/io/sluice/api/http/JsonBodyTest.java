package io.sluice.api.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which content types the admin endpoints read as JSON; everything else is a 415 before the body is read. */
class JsonBodyTest {
    @Test
    void jsonAndJsonBasedTypesAndNoTypeAreJson() {
        assertTrue(JsonBody.isJson(null), "no content type: read as JSON, as it always was");
        assertTrue(JsonBody.isJson(""));
        assertTrue(JsonBody.isJson("application/json"));
        assertTrue(JsonBody.isJson("Application/JSON; charset=utf-8"));
        assertTrue(JsonBody.isJson("application/vnd.kafka.v2+json"));
    }

    @Test
    void formsMultipartTextAndLookAlikesAreNot() {
        assertFalse(JsonBody.isJson("application/x-www-form-urlencoded"));
        assertFalse(JsonBody.isJson("multipart/form-data; boundary=x"));
        assertFalse(JsonBody.isJson("text/plain"));
        assertFalse(JsonBody.isJson("text/json+json"), "only application/*+json");
        assertFalse(JsonBody.isJson("application/jsonp"));
        assertFalse(JsonBody.isJson("application/x-ndjson"));
    }
}

package io.sluice.api.http;

import io.sluice.schema.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Confluent's {@code ?format=} on the registry's schema reads: a schema in another form than it was
 * registered in ({@code serialized} Protobuf: a base64 {@code FileDescriptorProto}, which Confluent's
 * serializers in other languages than Java read). A format the schema's type lacks leaves the text
 * as registered, as Confluent does.
 */
final class RegistryFormats {
    private RegistryFormats() {
    }

    /** Answers 200 with {@code answer}, its {@code schema} field in the form the request asks for. */
    static void okJson(RoutingContext ctx, SchemaRegistry registry, int id, JsonObject answer) {
        text(ctx, registry, id, answer.getString("schema")).onComplete(text -> {
            if (text.failed()) {
                RegistryHttp.fail(ctx, text.cause());
            } else {
                RegistryHttp.okJson(ctx, answer.put("schema", text.result()));
            }
        });
    }

    /** Answers 200 with the schema text alone, in the form the request asks for. */
    static void okRaw(RoutingContext ctx, SchemaRegistry registry, int id, String registered) {
        text(ctx, registry, id, registered).onComplete(text -> {
            if (text.failed()) {
                RegistryHttp.fail(ctx, text.cause());
            } else {
                RegistryHttp.ok(ctx, text.result());
            }
        });
    }

    /** The text of schema {@code id} to answer with: {@code registered}, or its form the request asks for. */
    private static Future<String> text(RoutingContext ctx, SchemaRegistry registry, int id, String registered) {
        String format = ctx.request().getParam("format");
        if (format == null || format.isEmpty()) {
            return Future.succeededFuture(registered);
        }
        return registry.schemaById(id).map(parsed -> {
            String formatted = parsed.formatted(format);
            return formatted == null ? registered : formatted;
        });
    }
}

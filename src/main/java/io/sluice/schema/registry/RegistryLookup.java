package io.sluice.schema.registry;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaLookup;
import io.sluice.schema.SchemaProvider;
import io.sluice.schema.SchemaType;
import io.sluice.schema.UnknownSchemaException;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link SchemaLookup} the produce and consume paths use, over this node's {@link SchemaRegistry}:
 * parsed schemas are kept by id in a map read without a lock (an id's schema never changes), and a
 * membership the node's copy confirms is answered at once; only an id or a membership the copy does
 * not know yet makes it catch up with the registry's leader first ({@link SchemaRegistry#fresh}).
 * Registry errors become the produce path's: an unknown id {@link UnknownSchemaException}, a schema
 * the registry refuses {@link ErrorCode#INVALID_SCHEMA}, a registry that cannot answer in time
 * {@link ErrorCode#REQUEST_TIMED_OUT} (REST Proxy's 40801) or {@link ErrorCode#UNAVAILABLE}.
 * Thread-safe.
 */
public final class RegistryLookup implements SchemaLookup {
    private static final Future<Boolean> YES = Future.succeededFuture(true);

    private final SchemaRegistry registry;
    private final Map<Integer, ParsedSchema> parsed = new ConcurrentHashMap<>();

    public RegistryLookup(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ParsedSchema cachedById(int id) {
        return parsed.get(id);
    }

    @Override
    public Future<ParsedSchema> schemaById(int id) {
        ParsedSchema known = parsed.get(id);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        Future<ParsedSchema> answer;
        try {
            answer = registry.schemaById(id);
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.transform(ar -> {
            if (ar.succeeded()) {
                parsed.putIfAbsent(id, ar.result());
                return Future.succeededFuture(ar.result());
            }
            if (ar.cause() instanceof RegistryException re && re.error() == RegistryError.SCHEMA_NOT_FOUND) {
                return Future.failedFuture(new UnknownSchemaException(id));
            }
            return Future.failedFuture(asSluice(ar.cause(), "reading schema " + id));
        });
    }

    @Override
    public Future<Boolean> isRegisteredUnder(String subject, int id) {
        if (registry.isRegisteredUnder(subject, id)) {
            return YES;
        }
        // (Registered a moment ago through another node, perhaps: catch up, then look again.)
        return registry.fresh().map(state -> registry.isRegisteredUnder(subject, id));
    }

    @Override
    public Future<Integer> registerIfAbsent(String subject, SchemaType type, String schema) {
        Integer id = registeredId(subject, type, schema);
        if (id != null) {
            return Future.succeededFuture(id);
        }
        return registry.register(subject, type, schema, List.of()).recover(e ->
                Future.failedFuture(asSluice(e, "registering a schema under subject '" + subject + "'")));
    }

    /** The id of {@code schema} if a live version of {@code subject} already holds it in this node's copy, else null. */
    private Integer registeredId(String subject, SchemaType type, String schema) {
        try {
            Integer id = registry.current().idOf(registry.current().parse(type, schema, List.of()));
            return id != null && registry.isRegisteredUnder(subject, id) ? id : null;
        } catch (RegistryException e) {
            // Not parseable here: the registration answers why.
            return null;
        }
    }

    @Override
    public ParsedSchema parse(SchemaType type, String schema) throws InvalidSchemaException {
        SchemaProvider provider = registry.providers().get(type);
        if (provider == null) {
            throw new InvalidSchemaException("this node has no " + type + " schemas");
        }
        return provider.parse(schema, List.of(), Map.of());
    }

    /** A registry failure as the produce path's error. */
    private static SluiceException asSluice(Throwable failure, String doing) {
        if (failure instanceof SluiceException se) {
            return se;
        }
        if (failure instanceof RegistryException re) {
            return switch (re.error()) {
                case STORE_ERROR -> new SluiceException(ErrorCode.UNAVAILABLE, "the schema registry failed " + doing + ": " + re.getMessage());
                case OPERATION_TIMEOUT, REQUEST_FORWARDING_FAILED -> new SluiceException(ErrorCode.REQUEST_TIMED_OUT,
                        "schema registration or lookup failed " + doing + ": " + re.getMessage());
                default -> new SluiceException(ErrorCode.INVALID_SCHEMA, "the schema registry refused " + doing + ": "
                        + re.getMessage() + " (error_code " + re.error().code() + ")");
            };
        }
        return io.sluice.common.Failures.toSluice(failure);
    }
}

package io.sluice.api.http;

import io.sluice.metrics.HttpServerMetrics;
import io.sluice.schema.registry.SchemaRegistry;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Confluent Schema Registry API's routes, at Confluent's paths, and what each needs when
 * security is on, as Confluent's ACL authorizer maps them onto the SUBJECT resource: READ to read a
 * subject's versions, look up or check compatibility, WRITE to register, DELETE to delete,
 * DESCRIBE_CONFIGS/ALTER_CONFIGS for a subject's config and mode; the global config and mode need
 * DESCRIBE/ALTER on the cluster. Listings filter instead ({@code GET /subjects}, schemas by id).
 * Every route negotiates its content type first ({@link RegistryHttp}); its errors are Confluent's
 * ({@link ErrorResponder} hands the registry's paths to {@link RegistryHttp}).
 */
final class RegistryRoutes {
    /** The largest registration body read (a schema text with its references). */
    static final int MAX_BODY = 16 << 20;

    private final Router router;
    private final HttpServerMetrics metrics;
    private final AccessControl access;

    private RegistryRoutes(Router router, HttpServerMetrics metrics, AccessControl access) {
        this.router = router;
        this.metrics = metrics;
        this.access = access;
    }

    static void mount(Router router, HttpServerMetrics metrics, AccessControl access, SchemaRegistry registry) {
        RegistryRoutes r = new RegistryRoutes(router, metrics, access);
        RegistrySubjectsHandler subjects = new RegistrySubjectsHandler(registry, access);
        RegistrySchemasHandler schemas = new RegistrySchemasHandler(registry, access);
        RegistryConfigHandler config = new RegistryConfigHandler(registry);

        r.route(HttpMethod.GET, "/subjects", false, null, subjects::list);
        r.route(HttpMethod.POST, "/subjects/:subject/versions", true, r.subject(AclOperation.WRITE), subjects::register);
        r.route(HttpMethod.GET, "/subjects/:subject/versions", false, r.subject(AclOperation.READ), subjects::versions);
        r.route(HttpMethod.GET, "/subjects/:subject/versions/:version", false, r.subject(AclOperation.READ), subjects::version);
        r.route(HttpMethod.GET, "/subjects/:subject/versions/:version/schema", false, r.subject(AclOperation.READ),
                subjects::rawSchema);
        r.route(HttpMethod.GET, "/subjects/:subject/versions/:version/referencedby", false, r.subject(AclOperation.READ),
                subjects::referencedBy);
        r.route(HttpMethod.DELETE, "/subjects/:subject/versions/:version", false, r.subject(AclOperation.DELETE),
                subjects::deleteVersion);
        r.route(HttpMethod.POST, "/subjects/:subject", true, r.subject(AclOperation.READ), subjects::lookup);
        r.route(HttpMethod.DELETE, "/subjects/:subject", false, r.subject(AclOperation.DELETE), subjects::deleteSubject);

        r.route(HttpMethod.GET, "/schemas/types", false, null, schemas::types);
        r.route(HttpMethod.GET, "/schemas/ids/:id", false, null, schemas::byId);
        r.route(HttpMethod.GET, "/schemas/ids/:id/schema", false, null, schemas::rawById);
        r.route(HttpMethod.GET, "/schemas/ids/:id/subjects", false, null, schemas::subjectsById);
        r.route(HttpMethod.GET, "/schemas/ids/:id/versions", false, null, schemas::versionsById);

        r.route(HttpMethod.POST, "/compatibility/subjects/:subject/versions/:version", true, r.subject(AclOperation.READ),
                schemas::compatibility);
        r.route(HttpMethod.POST, "/compatibility/subjects/:subject/versions", true, r.subject(AclOperation.READ),
                schemas::compatibility);

        r.route(HttpMethod.GET, "/config", false, r.cluster(AclOperation.DESCRIBE), config::getConfig);
        r.route(HttpMethod.PUT, "/config", true, r.cluster(AclOperation.ALTER), config::putConfig);
        r.route(HttpMethod.DELETE, "/config", false, r.cluster(AclOperation.ALTER), config::deleteConfig);
        r.route(HttpMethod.GET, "/config/:subject", false, r.subject(AclOperation.DESCRIBE_CONFIGS), config::getConfig);
        r.route(HttpMethod.PUT, "/config/:subject", true, r.subject(AclOperation.ALTER_CONFIGS), config::putConfig);
        r.route(HttpMethod.DELETE, "/config/:subject", false, r.subject(AclOperation.ALTER_CONFIGS), config::deleteConfig);

        r.route(HttpMethod.GET, "/mode", false, r.cluster(AclOperation.DESCRIBE), config::getMode);
        r.route(HttpMethod.PUT, "/mode", true, r.cluster(AclOperation.ALTER), config::putMode);
        r.route(HttpMethod.DELETE, "/mode", false, r.cluster(AclOperation.ALTER), config::deleteMode);
        r.route(HttpMethod.GET, "/mode/:subject", false, r.subject(AclOperation.DESCRIBE_CONFIGS), config::getMode);
        r.route(HttpMethod.PUT, "/mode/:subject", true, r.subject(AclOperation.ALTER_CONFIGS), config::putMode);
        r.route(HttpMethod.DELETE, "/mode/:subject", false, r.subject(AclOperation.ALTER_CONFIGS), config::deleteMode);
    }

    /** A route: timed, content negotiated, its body read (415 first), authorized, then handled. */
    private void route(HttpMethod method, String path, boolean body, Handler<RoutingContext> authorize,
                       Handler<RoutingContext> handler) {
        Route route = router.route(method, path).handler(metrics.timing(method, path)).handler(RegistryHttp::negotiate);
        if (body) {
            route.handler(RegistryHttp.body(MAX_BODY));
        }
        if (authorize != null && access.enabled()) {
            route.handler(authorize);
        }
        route.handler(handler);
    }

    private Handler<RoutingContext> subject(AclOperation operation) {
        return ctx -> {
            access.check(HttpAuthentication.session(ctx), operation, ResourceType.SUBJECT, ctx.pathParam("subject"));
            ctx.next();
        };
    }

    private Handler<RoutingContext> cluster(AclOperation operation) {
        return ctx -> {
            access.checkCluster(HttpAuthentication.session(ctx), operation);
            ctx.next();
        };
    }
}

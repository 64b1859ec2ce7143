package io.sluice.api.ws;

import io.sluice.api.GroupIds;
import io.sluice.api.Params;
import io.sluice.api.Api;
import io.sluice.api.json.RecordFormat;
import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.TopicMetadata;
import io.sluice.group.GroupMember;
import io.sluice.produce.ProduceService;
import io.sluice.schema.RequestSchema;
import io.sluice.quota.ConnectionQuotas;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.Session;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upgrade endpoints {@code /ws/consume} and {@code /ws/produce}: their query is validated
 * before the upgrade, so a bad request gets an ordinary 4xx JSON answer instead of a socket. With
 * security on, the upgrade was authenticated like any request, and is authorized here before the
 * topics are looked up: READ on every topic named (a pattern subscribes only to topics the
 * principal may READ), READ on the group, WRITE on the topic produced to. The sessions check again
 * for every frame, as ACLs may change while a socket is open.
 */
public final class WebSocketRoutes {
    private final Api api;

    public WebSocketRoutes(Api api) {
        this.api = api;
    }

    public void consume(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Session session = session(ctx);
        List<String> topics = list(req.getParam("topics"), req.getParam("topic"));
        if (topics.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'topics' is required: a comma-separated list of topics");
        }
        RecordFormat format = RecordFormat.fromQuery(req.getParam("format"));
        if (format.typed()) {
            api.requireSchemas();
        }
        long credit = Params.queryLong(req, "credit", api.broker().getInt("sluice.ws.default.credit"), 0, Long.MAX_VALUE / 4);
        int maxFrame = (int) Params.queryLong(req, "max_frame_bytes", 64 * 1024, 1024, 64L << 20);
        ConsumeSession.StartPosition from = ConsumeSession.StartPosition.parse(req.getParam("from"));
        ConsumeSession.Assignment assignment = req.getParam("group") != null
                ? groupMember(req, topics, from, session)
                : new StaticAssignment(partitions(topics, req.getParam("partitions"), req.getParam("offsets"), session), from);
        Runnable release = openFor(ctx, session);
        String clientId = io.sluice.quota.Quotas.clientId(req);
        UpgradeCheck.require(ctx);
        req.toWebSocket().onSuccess(ws -> new ConsumeSession(api, ws, format, credit, maxFrame, api.clock(), session)
                        .throttledBy(api.quotas().fetch(), clientId).onClosed(release).start(assignment))
                .onFailure(e -> {
                    release.run();
                    ctx.fail(e);
                });
    }

    /** Validates a group socket's query: topics or patterns, assignor, session timeout, auto commit. */
    private ConsumeSession.Assignment groupMember(HttpServerRequest req, List<String> topics, ConsumeSession.StartPosition from,
                                                  Session session) {
        String group = req.getParam("group");
        access().checkGroup(session, AclOperation.READ, group);
        GroupIds.validate(group);
        if (req.getParam("partitions") != null || req.getParam("offsets") != null) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "a group member is assigned its partitions; "
                    + "'partitions' and 'offsets' are for sockets without a group");
        }
        io.sluice.group.Subscription subscription;
        try {
            subscription = io.sluice.group.Subscription.of(topics);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        for (String name : subscription.names()) {
            access().checkTopic(session, AclOperation.READ, name);
            api.metadata().topic(name);
        }
        String assignor = req.getParam("assignor") == null ? "sticky" : req.getParam("assignor");
        try {
            io.sluice.group.assign.PartitionAssignor.named(assignor);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        long timeout = Params.queryLong(req, "session_timeout_ms", api.broker().getLong("sluice.group.session.timeout.ms"),
                api.broker().getLong("group.min.session.timeout.ms"), api.broker().getLong("group.max.session.timeout.ms"));
        String auto = req.getParam("auto_commit");
        if (auto != null && !auto.equals("true") && !auto.equals("false")) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'auto_commit' must be true or false");
        }
        GroupMember.Settings settings = new GroupMember.Settings(group, topics, assignor, timeout, "true".equals(auto),
                api.broker().getLong("sluice.group.auto.commit.interval.ms"), access().enabled() ? session : null);
        return new GroupAssignment(new GroupMember(api.vertx(), api.groups(), api.nodeId(), settings), from);
    }

    public void produce(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Session session = session(ctx);
        String name = req.getParam("topic");
        if (name == null || name.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'topic' is required");
        }
        access().checkTopic(session, AclOperation.WRITE, name);
        TopicMetadata topic = ProduceService.writableByClients(api.metadata().topic(name));
        RecordFormat format = RecordFormat.fromQuery(req.getParam("format"));
        RequestSchema keySchema = schemaId(req, "key_schema_id", format);
        RequestSchema valueSchema = schemaId(req, "value_schema_id", format);
        if (format.typed()) {
            api.requireSchemas();
        }
        Acks acks = Acks.parse(req.getParam("acks"));
        long timeout = Params.queryLong(req, "timeout_ms", api.produce().defaultTimeoutMs(), 0, 3_600_000);
        Runnable release = openFor(ctx, session);
        UpgradeCheck.require(ctx);
        req.toWebSocket().onSuccess(ws -> new ProduceSession(api, ws, topic, format, acks, timeout, session, keySchema, valueSchema)
                        .throttledBy(api.quotas().produce(), io.sluice.quota.Quotas.clientId(req)).onClosed(release).start())
                .onFailure(e -> {
                    release.run();
                    ctx.fail(e);
                });
    }

    /** A typed produce socket's {@code key_schema_id=} or {@code value_schema_id=}: the default for its frames. */
    private static RequestSchema schemaId(HttpServerRequest req, String name, RecordFormat format) {
        String value = req.getParam(name);
        if (value == null) {
            return null;
        }
        if (!format.typed()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'" + name + "' needs a typed format (format=avro|jsonschema|protobuf)");
        }
        return RequestSchema.ofId((int) Params.parseLong(name, value, 0, Integer.MAX_VALUE, ErrorCode.BAD_REQUEST));
    }

    private Map<TopicPartition, Long> partitions(List<String> topics, String partitionsParam, String offsetsParam,
                                                 Session session) {
        for (String t : topics) {
            access().checkTopic(session, AclOperation.READ, t);
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        List<String> partitions = list(partitionsParam, null);
        List<String> offsets = list(offsetsParam, null);
        if (partitions.isEmpty()) {
            if (!offsets.isEmpty()) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'offsets' needs 'partitions' to pair with");
            }
            for (String t : topics) {
                TopicMetadata topic = api.metadata().topic(t);
                for (int p = 0; p < topic.partitionCount(); p++) {
                    out.put(new TopicPartition(t, p), -1L);
                }
            }
            return out;
        }
        if (topics.size() != 1) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'partitions' can only be used with a single topic");
        }
        if (!offsets.isEmpty() && offsets.size() != partitions.size()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'offsets' must have one offset per partition ("
                    + partitions.size() + "), got " + offsets.size());
        }
        TopicMetadata topic = api.metadata().topic(topics.get(0));
        for (int i = 0; i < partitions.size(); i++) {
            int p = (int) Params.parseLong("partitions", partitions.get(i), 0, Integer.MAX_VALUE, ErrorCode.BAD_REQUEST);
            TopicPartition tp = new TopicPartition(topic.name(), p);
            api.metadata().partition(tp);
            long offset = offsets.isEmpty() ? -1 : Params.parseLong("offsets", offsets.get(i), 0, Long.MAX_VALUE, ErrorCode.BAD_REQUEST);
            if (out.put(tp, offset) != null) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "partition " + p + " is listed twice");
            }
        }
        return out;
    }

    /**
     * Takes one of the principal's WebSocket slots ({@code max.connections.per.principal}) and
     * answers what gives it back; past the limit the upgrade is refused with 429 and a Retry-After.
     */
    private Runnable openFor(RoutingContext ctx, Session session) {
        ConnectionQuotas connections = api.quotas().connections();
        if (!connections.limitsPrincipals()) {
            return () -> { };
        }
        if (!connections.openPrincipal(session.principal())) {
            ctx.response().putHeader("retry-after", "1");
            throw new SluiceException(ErrorCode.THROTTLED, "too many WebSockets open for this principal");
        }
        boolean[] released = {false};
        return () -> {
            if (!released[0]) {
                released[0] = true;
                connections.closePrincipal(session.principal());
            }
        };
    }

    private AccessControl access() {
        return api.security().access();
    }

    /** The session the node's HTTP door established for the upgrade request. */
    private static Session session(RoutingContext ctx) {
        return io.sluice.api.RequestSessions.of(ctx);
    }

    private static List<String> list(String value, String alternative) {
        String v = value != null ? value : alternative;
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}

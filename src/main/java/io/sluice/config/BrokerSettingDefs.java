package io.sluice.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.config.SettingDef.ofBoolean;
import static io.sluice.config.SettingDef.ofEnum;
import static io.sluice.config.SettingDef.ofInt;
import static io.sluice.config.SettingDef.ofList;
import static io.sluice.config.SettingDef.ofLong;
import static io.sluice.config.SettingDef.ofLongOrNoLimit;
import static io.sluice.config.SettingDef.ofPassword;
import static io.sluice.config.SettingDef.ofRatio;
import static io.sluice.config.SettingDef.ofString;

/**
 * The registry of broker-wide settings: Kafka's broker configs that Sluice honours, under Kafka's names
 * and with Kafka's defaults, followed by Sluice's own under the {@code sluice.} prefix. The order here
 * is the order of the help text.
 */
final class BrokerSettingDefs {
    private static final long DAY_MS = 24L * 60 * 60 * 1000;
    private static final long WEEK_MS = 7 * DAY_MS;

    static final List<SettingDef> ALL = List.of(
            ofInt("num.partitions", 1, 1, "partitions of a topic created without a partition count"),
            ofInt("default.replication.factor", 1, 1, "replicas of a topic created without a replication factor"),
            ofInt("min.insync.replicas", 1, 1, "in-sync replicas an acks=all write must reach before it is acknowledged"),

            ofInt("log.segment.bytes", 1 << 30, 1024, "roll a new segment once the active one would exceed this size"),
            ofLong("log.roll.ms", WEEK_MS, 1, "roll a new segment once the active one's first record is this old"),
            ofInt("log.index.interval.bytes", 4096, 0, "log bytes between two offset-index entries"),
            ofLongOrNoLimit("log.retention.ms", WEEK_MS,
                    "delete segments whose newest record is older than this; -1 keeps them forever"),
            ofLongOrNoLimit("log.retention.bytes", -1,
                    "delete the oldest segments while a partition is larger than this; -1 for no limit"),
            ofList("log.cleanup.policy", List.of("delete"), List.of("delete", "compact"),
                    "delete old segments, compact to the latest record per key, or both"),

            ofBoolean("log.cleaner.enable", true, "run the log cleaner that compacts topics whose policy has compact"),
            ofLong("log.cleaner.backoff.ms", 15_000, 0, "how long the cleaner sleeps when no log needs cleaning"),
            ofLong("log.cleaner.dedupe.buffer.size", 32L << 20, 1L << 20,
                    "memory the cleaner uses to map each key to its latest offset"),
            ofLong("log.cleaner.delete.retention.ms", DAY_MS, 0,
                    "how long compaction keeps a tombstone, so that consumers see the delete"),
            ofLong("log.cleaner.min.compaction.lag.ms", 0, 0, "records younger than this are never compacted"),
            ofRatio("log.cleaner.min.cleanable.ratio", 0.5, "compact a log once this share of it is not yet cleaned"),
            ofLong("log.retention.check.interval.ms", 300_000, 1,
                    "how often the broker looks for segments that retention should delete"),

            ofLong("log.flush.interval.messages", Long.MAX_VALUE, 1,
                    "fsync a partition after this many records (1 = before acknowledging every append)"),
            ofLong("log.flush.interval.ms", Long.MAX_VALUE, 0, "fsync a partition once this long has passed since its last fsync"),
            ofLong("log.flush.scheduler.interval.ms", 1000, 1,
                    "how often the broker checks whether a partition is due for a time-based fsync"),
            ofEnum("log.message.timestamp.type", "CreateTime", List.of("CreateTime", "LogAppendTime"),
                    "CreateTime keeps the producer's timestamp; LogAppendTime stamps records with the broker's clock"),
            ofInt("message.max.bytes", 1024 * 1024 + 12, 76, "the largest record batch a partition accepts"),
            ofLong("producer.id.expiration.ms", DAY_MS, 1, "forget an idempotent producer once it has been idle this long"),

            ofLong("replica.lag.time.max.ms", 30_000, 1, "a follower that has not caught up for this long leaves the ISR"),
            ofInt("replica.fetch.max.bytes", 1024 * 1024, 1024, "bytes a follower asks for per partition in one fetch"),
            ofLong("replica.fetch.wait.max.ms", 500, 0, "how long a follower's fetch waits at the leader for new records"),
            ofLong("replica.high.watermark.checkpoint.interval.ms", 5_000, 10,
                    "how often the high watermarks of this node's replicas are written to replication-offset-checkpoint"
                            + " (when one moved); a restart after a crash starts them from there"),
            ofBoolean("unclean.leader.election.enable", false,
                    "let a replica outside the ISR become leader, at the cost of losing acknowledged records"),
            ofBoolean("auto.create.topics.enable", false,
                    "create a missing topic on first produce or consume instead of answering 404"),

            ofLong("controller.quorum.election.timeout.ms", 1_000, 50,
                    "a voter that hears nothing from the quorum's leader for this long (randomised up to twice it) calls an election"),
            ofLong("controller.quorum.commit.timeout.ms", 5_000, 100,
                    "how long the controller waits for a majority of the voters to commit a metadata change"),
            ofLong("broker.heartbeat.interval.ms", 250, 10, "how often a broker renews its lease with the controller"),
            ofLong("broker.session.timeout.ms", 2_000, 100,
                    "a broker whose heartbeats the controller has not had for this long is fenced: its leaderships move and it "
                            + "leaves the ISRs; its own lease, counted from the heartbeat's sending, ends sooner"),

            ofInt("offsets.topic.num.partitions", 10, 1, "partitions of __consumer_offsets, fixed once it exists"),
            ofInt("offsets.topic.replication.factor", 3, 1, "replicas of each __consumer_offsets partition"),
            ofInt("schema.registry.topic.replication.factor", 3, 1,
                    "replicas of the schema registry's _schemas partition (fewer when the cluster has fewer nodes)"),
            ofLong("schema.registry.leader.wait.ms", 5_000, 0,
                    "how long a schema registry write waits for _schemas to have a leader before failing with 50003"),
            ofInt("offsets.topic.segment.bytes", 104_857_600, 1024, "segment size of __consumer_offsets (small segments compact sooner)"),
            ofLong("offsets.retention.ms", WEEK_MS, 1, "drop a group's committed offsets this long after it became empty"),
            ofLong("group.initial.rebalance.delay.ms", 0, 0,
                    "how long a new group waits for more members before its first rebalance"),
            ofLong("group.min.session.timeout.ms", 1000, 1, "the shortest session timeout a group member may ask for"),
            ofLong("group.max.session.timeout.ms", 1_800_000, 1, "the longest session timeout a group member may ask for"),

            ofString("super.users", null, "principals allowed everything, semicolon-separated: User:admin;User:ops"),
            ofBoolean("allow.everyone.if.no.acl.found", false,
                    "with security on, allow an operation on a resource that no ACL names at all (default: deny)"),

            ofBoolean("security.enabled", false, "require credentials (HTTP Basic, a bearer JWT, a WebSocket ticket or a client"
                    + " certificate) on every route but /health and /ready,"
                    + " and authorize every operation by the ACLs"),
            ofString("security.bootstrap.users", null, "users created at first start when they do not exist yet:"
                    + " name:password,... (a password cannot contain ','); prefer the environment variable to a flag").sensitive(),

            // Bearer JWTs (io.sluice.security.JwtAuthenticator): keys from PEM files, an HMAC secret or a JWKS URL.
            ofString("security.jwt.public.keys", null, "PEM public key files (RSA or EC), comma-separated, that bearer"
                    + " JWTs may be signed with (RS256/ES256 and the other algorithms of security.jwt.algorithms)"),
            ofPassword("security.jwt.secret", "an HMAC secret (at least 32 bytes) that bearer JWTs may be signed with"
                    + " (HS256 and the other HS algorithms of security.jwt.algorithms)"),
            ofString("security.jwt.jwks.url", null, "a JWKS document (http or https) whose RSA and EC keys bearer JWTs may"
                    + " be signed with, fetched at start and every security.jwt.jwks.refresh.ms"),
            ofLong("security.jwt.jwks.refresh.ms", 300_000, 100, "how often the JWKS document is fetched again (a token"
                    + " naming an unknown key id also prompts a fetch, at most once every 10 s)"),
            ofString("security.jwt.issuer", null, "the iss claim a bearer JWT must carry (unset: not checked)"),
            ofString("security.jwt.audience", null, "audiences, comma-separated: a bearer JWT's aud must name one (unset: not checked)"),
            ofInt("security.jwt.clock.skew.seconds", 30, 0, "leeway for exp, nbf and iat against this node's clock"
                    + " (Kafka's sasl.oauthbearer.clock.skew.seconds)"),
            ofString("security.jwt.principal.claim", "sub", "the claim whose value names the principal User:<value>"
                    + " (Kafka's sasl.oauthbearer.sub.claim.name)"),
            ofList("security.jwt.algorithms", List.of("RS256", "ES256", "HS256"), List.of("RS256", "RS384", "RS512",
                    "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"),
                    "the signature algorithms a bearer JWT may use; any other, and none, is refused"),
            // Browsers' WebSockets (io.sluice.security.WebSocketTickets, io.sluice.api.http.OriginCheck).
            ofLong("security.ws.ticket.ttl.ms", 30_000, 1, "how long a WebSocket ticket from POST /ws/tickets stays"
                    + " valid; it is good for one upgrade"),
            ofString("security.ws.allowed.origins", null, "Origins allowed to open WebSockets, comma-separated"
                    + " (https://app.example.com) besides the node's own, or *; unset: only the node's own origin (checked while security is on,"
                    + " or whenever this is set)"),

            // TLS of the HTTP port (HTTPS, WSS) and of the event bus between nodes (io.sluice.security.tls).
            ofString("security.tls.cert", null, "PEM file with this node's certificate chain for HTTPS and WSS (with"
                    + " security.tls.key); unset and without security.tls.keystore, the port speaks plain HTTP"),
            ofString("security.tls.key", null, "PEM file with the private key of security.tls.cert (PKCS#8 or PKCS#1, unencrypted)"),
            ofString("security.tls.keystore", null, "PKCS#12 file with the private key and certificate chain, instead of"
                    + " security.tls.cert and security.tls.key"),
            ofPassword("security.tls.keystore.password", "the password of security.tls.keystore"),
            ofString("security.tls.truststore", null, "the CA certificates client certificates are verified against: a PEM"
                    + " file of one or more certificates, or a PKCS#12 truststore"),
            ofPassword("security.tls.truststore.password", "the password of a PKCS#12 security.tls.truststore"),
            ofEnum("security.tls.client.auth", "none", List.of("none", "requested", "required"),
                    "whether HTTPS clients are asked for a certificate (Kafka's ssl.client.auth); a certificate presented"
                            + " must verify against security.tls.truststore, and yields a principal"),
            ofString("security.tls.principal.mapping.rules", "DEFAULT", "how a client certificate's subject becomes a"
                    + " principal's name, as Kafka's ssl.principal.mapping.rules: RULE:pattern/replacement/[LU], ..., DEFAULT"),
            ofList("security.tls.protocols", List.of("TLSv1.2", "TLSv1.3"), List.of("TLSv1.2", "TLSv1.3"),
                    "the TLS versions the HTTP port and the event bus accept (Kafka's ssl.enabled.protocols)"),
            ofLong("security.tls.reload.interval.ms", 30_000, 0, "how often the certificate, key and truststore files are"
                    + " checked for changes; a changed valid set replaces the old one without a restart (0: never)"),
            ofString("security.bus.tls.cert", null, "PEM certificate chain this node presents on the event bus between"
                    + " nodes; with security.bus.tls.key and security.bus.tls.truststore it turns on mutual TLS on the bus"),
            ofString("security.bus.tls.key", null, "PEM private key of security.bus.tls.cert"),
            ofString("security.bus.tls.keystore", null, "PKCS#12 file with the event bus key and chain, instead of"
                    + " security.bus.tls.cert and security.bus.tls.key"),
            ofPassword("security.bus.tls.keystore.password", "the password of security.bus.tls.keystore"),
            ofString("security.bus.tls.truststore", null, "the CA certificates of the cluster's nodes (PEM or PKCS#12): a node"
                    + " accepts bus connections only from, and connects only to, nodes whose certificate verifies against it"),
            ofPassword("security.bus.tls.truststore.password", "the password of a PKCS#12 security.bus.tls.truststore"),

            ofBoolean("security.audit.enabled", true, "log failed authentications and authorization denials to the"
                    + " io.sluice.audit logger (who, what, from where; never a password or token)"),
            ofInt("security.authentication.failures.max", 20, 0, "failed authentications one client IP may have within"
                    + " security.authentication.failures.window.ms before its requests are answered 429 unverified"
                    + " (protects the password hashing workers); 0: no limit"),
            ofLong("security.authentication.failures.window.ms", 60_000, 1, "the window failed authentications are counted over"),
            ofInt("security.audit.max.lines.per.second", 20, 1, "audit lines of each kind logged per second at most;"
                    + " the rest are counted and summed up in one line"),

            // Client quotas (io.sluice.quota), as Kafka's: defaults here, overrides per principal and client id.
            ofLongOrNoLimit("quota.producer.byte.rate", -1, "bytes per second each principal and client id may produce"
                    + " by default; -1: unlimited"),
            ofLongOrNoLimit("quota.consumer.byte.rate", -1, "bytes per second each principal and client id may fetch or"
                    + " consume by default; -1: unlimited"),
            ofLongOrNoLimit("quota.request.rate", -1, "requests per second each principal and client id may make by"
                    + " default; -1: unlimited"),
            ofString("quota.overrides", null, "quotas per entity replacing the defaults, semicolon-separated:"
                    + " User:alice:producer_byte_rate=1048576,request_rate=50;client-id:app:consumer_byte_rate=2097152;"
                    + " User:bob&client-id:app:request_rate=10"),
            ofInt("quota.window.num", 11, 2, "samples a quota's rate is measured over"),
            ofInt("quota.window.size.seconds", 1, 1, "the time span of each sample of a quota's rate"),
            ofLong("sluice.quota.sensor.expiry.ms", 3_600_000, 1000, "drop the measurements (and metrics) of a principal"
                    + " and client id idle this long"),
            ofInt("max.connections.per.ip", Integer.MAX_VALUE, 0, "open connections one client IP may have; more are"
                    + " closed as they are accepted"),
            ofInt("max.connections.per.principal", Integer.MAX_VALUE, 0, "open WebSockets one principal may have;"
                    + " more upgrades are refused with 429"),

            ofInt("sluice.http.max.body.bytes", 16 << 20, 1024, "the largest HTTP request body accepted (413 beyond)"),
            ofInt("sluice.ws.max.frame.bytes", 1 << 20, 1024, "the largest WebSocket frame accepted"),
            ofInt("sluice.ws.default.credit", 1000, 1, "records a consuming socket may have in flight when it gives no credit="),
            ofBoolean("sluice.ws.compression", false, "accept the WebSocket compression (permessage-deflate) a client offers;"
                    + " it costs the node CPU for every frame of that socket"),
            ofInt("sluice.log.max.open.segments", 0, 0, "segment files this node keeps open at once, across all partitions;"
                    + " 0: three quarters of the process's open-file limit, at least 2048 (an active segment closed to"
                    + " stay under the cap is reopened on its next append)"),
            ofInt("sluice.io.threads", 4, 1, "threads doing the partitions' disk I/O"),
            ofInt("sluice.event.loop.threads", 0, 0,
                    "Vert.x event loops (HTTP, WebSockets, partitions); 0: one per core, at least 2"),
            ofBoolean("sluice.native.transport", true, "use Netty's native epoll transport where available (Linux), else NIO"),
            ofInt("sluice.partition.tail.cache.bytes", 1024 * 1024, 0,
                    "bytes of its newest batches a partition leader keeps in memory to answer tail fetches (0: none)"),
            ofLong("sluice.partition.tail.cache.total.bytes", 0, 0,
                    "bytes all of this node's tail caches may hold together, shared evenly by the partitions it leads;"
                            + " 0: an eighth of the maximum heap"),
            ofInt("sluice.partition.start.concurrency", 128, 1,
                    "replicas this node starts at once; more wait their turn, so that creating or loading 10,000"
                            + " partitions never queues thousands of starts ahead of heartbeats and requests"),
            ofInt("sluice.partition.inline.append.max.bytes", 16 * 1024, 0,
                    "a produce request up to this size is written to the page cache on the partition's own thread when"
                            + " its log writer is idle and no roll or flush is due, saving two thread hand-offs, with the"
                            + " other small requests of the same event-loop turn, in writes of at most this size (0: never)"),
            ofLong("sluice.fetch.max.wait.ms", 30_000, 0, "the longest a long-polling fetch may wait; timeout_ms is capped to it"),
            ofLong("sluice.metadata.beacon.ms", 1_000, 10,
                    "how often the controller announces its metadata version, so that a node that missed an update pulls it"),
            ofLong("sluice.request.timeout.ms", 30_000, 1, "how long a request waits for a partition's answer, or an admin command for the controller, before failing"),
            ofLong("sluice.group.session.timeout.ms", 10_000, 1,
                    "a group member that has not been heard from for this long is removed"),
            ofLong("sluice.group.lag.refresh.ms", 5_000, 100, "how often coordinators refresh the consumer-group lag metrics"),
            ofLong("sluice.group.auto.commit.interval.ms", 1_000, 10,
                    "how often sockets opened with auto_commit=true commit what they delivered"),
            ofInt("sluice.max.idempotent.producers", 100_000, 1,
                    "idempotent producers remembered per partition; the longest idle is forgotten beyond this"),

            ofString("security.cors.allowed.origins", null,
                    "web origins (scheme://host[:port], comma-separated) whose pages may call the HTTP API from a browser"
                            + " (CORS); '*' for any, not with credentials; unset: CORS off, no CORS headers are sent"),
            ofList("security.cors.allowed.methods", List.of("GET", "POST", "PATCH", "DELETE"),
                    List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
                    "methods a CORS preflight allows (Access-Control-Allow-Methods)"),
            ofString("security.cors.allowed.headers", "Content-Type,Authorization,Idempotency-Key",
                    "request headers a CORS preflight allows (Access-Control-Allow-Headers), comma-separated"),
            ofString("security.cors.exposed.headers", "Retry-After",
                    "response headers a cross-origin page may read (Access-Control-Expose-Headers), comma-separated"),
            ofInt("security.cors.max.age.seconds", 600, 0, "how long a browser may cache a CORS preflight's answer"),
            ofBoolean("security.cors.allow.credentials", false,
                    "let cross-origin pages send credentials (cookies, Authorization); needs explicit origins, not '*'"));

    static final Map<String, SettingDef> BY_NAME = index(ALL);

    private BrokerSettingDefs() {
    }

    private static Map<String, SettingDef> index(List<SettingDef> defs) {
        Map<String, SettingDef> byName = new LinkedHashMap<>();
        for (SettingDef def : defs) {
            if (byName.put(def.name(), def) != null) {
                throw new IllegalStateException("broker setting defined twice: " + def.name());
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}

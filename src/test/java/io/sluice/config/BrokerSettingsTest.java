package io.sluice.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker settings registry: defaults, typed getters, validation, unknown names. */
class BrokerSettingsTest {
    private final BrokerSettings defaults = BrokerSettings.defaults();

    @Test
    void defaultsAreKafkasAndSluicesDocumentedOnes() {
        assertEquals(1, defaults.getInt("num.partitions"));
        assertEquals(1, defaults.getInt("default.replication.factor"));
        assertEquals(1, defaults.getInt("min.insync.replicas"));
        assertEquals(1073741824, defaults.getInt("log.segment.bytes"));
        assertEquals(604800000L, defaults.getLong("log.roll.ms"));
        assertEquals(4096, defaults.getInt("log.index.interval.bytes"));
        assertEquals(604800000L, defaults.getLong("log.retention.ms"));
        assertEquals(-1L, defaults.getLong("log.retention.bytes"));
        assertEquals(List.of("delete"), defaults.getList("log.cleanup.policy"));
        assertTrue(defaults.getBoolean("log.cleaner.enable"));
        assertEquals(15000L, defaults.getLong("log.cleaner.backoff.ms"));
        assertEquals(33554432L, defaults.getLong("log.cleaner.dedupe.buffer.size"));
        assertEquals(86400000L, defaults.getLong("log.cleaner.delete.retention.ms"));
        assertEquals(0L, defaults.getLong("log.cleaner.min.compaction.lag.ms"));
        assertEquals(0.5, defaults.getDouble("log.cleaner.min.cleanable.ratio"));
        assertEquals(300000L, defaults.getLong("log.retention.check.interval.ms"));
        assertEquals(Long.MAX_VALUE, defaults.getLong("log.flush.interval.messages"));
        assertEquals(Long.MAX_VALUE, defaults.getLong("log.flush.interval.ms"));
        assertEquals(1000L, defaults.getLong("log.flush.scheduler.interval.ms"));
        assertEquals("CreateTime", defaults.getString("log.message.timestamp.type"));
        assertEquals(1048588, defaults.getInt("message.max.bytes"));
        assertEquals(86400000L, defaults.getLong("producer.id.expiration.ms"));
        assertEquals(30000L, defaults.getLong("replica.lag.time.max.ms"));
        assertEquals(1048576, defaults.getInt("replica.fetch.max.bytes"));
        assertEquals(500L, defaults.getLong("replica.fetch.wait.max.ms"));
        assertEquals(5000L, defaults.getLong("replica.high.watermark.checkpoint.interval.ms"));
        assertFalse(defaults.getBoolean("unclean.leader.election.enable"));
        assertFalse(defaults.getBoolean("auto.create.topics.enable"));
        assertEquals(10, defaults.getInt("offsets.topic.num.partitions"));
        assertEquals(3, defaults.getInt("offsets.topic.replication.factor"));
        assertEquals(3, defaults.getInt("schema.registry.topic.replication.factor"));
        assertEquals(5000L, defaults.getLong("schema.registry.leader.wait.ms"));
        assertEquals(604800000L, defaults.getLong("offsets.retention.ms"));
        assertEquals(0L, defaults.getLong("group.initial.rebalance.delay.ms"));
        assertEquals(1000L, defaults.getLong("group.min.session.timeout.ms"));
        assertEquals(1800000L, defaults.getLong("group.max.session.timeout.ms"));
        assertEquals(16777216, defaults.getInt("sluice.http.max.body.bytes"));
        assertEquals(1048576, defaults.getInt("sluice.ws.max.frame.bytes"));
        assertEquals(1000, defaults.getInt("sluice.ws.default.credit"));
        assertFalse(defaults.getBoolean("sluice.ws.compression"));
        assertEquals(0, defaults.getInt("sluice.log.max.open.segments"));
        assertEquals(4, defaults.getInt("sluice.io.threads"));
        assertEquals(0, defaults.getInt("sluice.event.loop.threads"));
        assertEquals(30000L, defaults.getLong("sluice.fetch.max.wait.ms"));
        assertEquals(30000L, defaults.getLong("sluice.request.timeout.ms"));
        assertEquals(10000L, defaults.getLong("sluice.group.session.timeout.ms"));
        assertEquals(100000, defaults.getInt("sluice.max.idempotent.producers"));
        assertEquals(104857600, defaults.getInt("offsets.topic.segment.bytes"));
        assertEquals(5000L, defaults.getLong("sluice.group.lag.refresh.ms"));
        assertEquals(1000L, defaults.getLong("sluice.group.auto.commit.interval.ms"));
        assertEquals(1048576, defaults.getInt("sluice.partition.tail.cache.bytes"));
        assertEquals(0L, defaults.getLong("sluice.partition.tail.cache.total.bytes"));
        assertEquals(1000L, defaults.getLong("sluice.metadata.beacon.ms"));
        assertEquals(16384, defaults.getInt("sluice.partition.inline.append.max.bytes"));
        assertEquals(128, defaults.getInt("sluice.partition.start.concurrency"));
        assertTrue(defaults.getBoolean("sluice.native.transport"));
        assertEquals(1000L, defaults.getLong("controller.quorum.election.timeout.ms"));
        assertEquals(5000L, defaults.getLong("controller.quorum.commit.timeout.ms"));
        assertEquals(250L, defaults.getLong("broker.heartbeat.interval.ms"));
        assertEquals(2000L, defaults.getLong("broker.session.timeout.ms"));
        for (String unset : List.of("cert", "key", "keystore", "keystore.password", "truststore", "truststore.password")) {
            assertEquals(null, defaults.getString("security.tls." + unset), unset);
            assertEquals(null, defaults.getString("security.bus.tls." + unset), unset);
        }
        assertEquals("none", defaults.getString("security.tls.client.auth"));
        assertEquals("DEFAULT", defaults.getString("security.tls.principal.mapping.rules"));
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), defaults.getList("security.tls.protocols"));
        assertEquals(30000L, defaults.getLong("security.tls.reload.interval.ms"));
        assertFalse(defaults.getBoolean("security.enabled"));
        assertNull(defaults.getString("super.users"));
        assertFalse(defaults.getBoolean("allow.everyone.if.no.acl.found"));
        assertNull(defaults.getString("security.bootstrap.users"));
        assertNull(defaults.getString("security.cors.allowed.origins"), "CORS is off by default");
        assertEquals(List.of("GET", "POST", "PATCH", "DELETE"), defaults.getList("security.cors.allowed.methods"));
        assertEquals("Content-Type,Authorization,Idempotency-Key", defaults.getString("security.cors.allowed.headers"));
        assertEquals("Retry-After", defaults.getString("security.cors.exposed.headers"));
        assertEquals(600, defaults.getInt("security.cors.max.age.seconds"));
        assertFalse(defaults.getBoolean("security.cors.allow.credentials"));
        for (String unset : List.of("public.keys", "secret", "jwks.url", "issuer", "audience")) {
            assertNull(defaults.getString("security.jwt." + unset), unset);
        }
        assertEquals(300000L, defaults.getLong("security.jwt.jwks.refresh.ms"));
        assertEquals(30, defaults.getInt("security.jwt.clock.skew.seconds"));
        assertEquals("sub", defaults.getString("security.jwt.principal.claim"));
        assertEquals(List.of("RS256", "ES256", "HS256"), defaults.getList("security.jwt.algorithms"));
        assertEquals(30000L, defaults.getLong("security.ws.ticket.ttl.ms"));
        assertNull(defaults.getString("security.ws.allowed.origins"));
        assertTrue(defaults.getBoolean("security.audit.enabled"));
        assertEquals(20, defaults.getInt("security.audit.max.lines.per.second"));
        assertEquals(20, defaults.getInt("security.authentication.failures.max"));
        assertEquals(60000L, defaults.getLong("security.authentication.failures.window.ms"));
        for (String rate : List.of("quota.producer.byte.rate", "quota.consumer.byte.rate", "quota.request.rate")) {
            assertEquals(-1L, defaults.getLong(rate), rate + ": unlimited, as Kafka's default");
        }
        assertNull(defaults.getString("quota.overrides"));
        assertEquals(11, defaults.getInt("quota.window.num"));
        assertEquals(1, defaults.getInt("quota.window.size.seconds"));
        assertEquals(3600000L, defaults.getLong("sluice.quota.sensor.expiry.ms"));
        assertEquals(Integer.MAX_VALUE, defaults.getInt("max.connections.per.ip"));
        assertEquals(Integer.MAX_VALUE, defaults.getInt("max.connections.per.principal"));
        assertEquals(110, BrokerSettings.definitions().size(), "every definition is asserted above");
    }

    @Test
    void everyDefinitionHasAUniqueNameADocAndADefaultThatValidates() {
        Set<String> names = new HashSet<>();
        for (SettingDef def : BrokerSettings.definitions()) {
            assertTrue(names.add(def.name()), def.name());
            assertFalse(def.doc().isBlank(), def.name());
            if (def.defaultValue() != null) {
                assertEquals(def.defaultValue(), def.parse(def.format(def.defaultValue()), def.name()), def.name());
            }
        }
    }

    @Test
    void withParsesValidatesAndLeavesTheOriginalUntouched() {
        BrokerSettings changed = defaults.with(Map.of(
                "log.retention.check.interval.ms", "1000",
                "log.cleanup.policy", "compact,delete",
                "log.message.timestamp.type", "LogAppendTime",
                "log.cleaner.min.cleanable.ratio", "0.1",
                "auto.create.topics.enable", "true"));
        assertEquals(1000L, changed.getLong("log.retention.check.interval.ms"));
        assertEquals(List.of("delete", "compact"), changed.getList("log.cleanup.policy"));
        assertEquals("LogAppendTime", changed.getString("log.message.timestamp.type"));
        assertEquals(0.1, changed.getDouble("log.cleaner.min.cleanable.ratio"));
        assertTrue(changed.getBoolean("auto.create.topics.enable"));
        assertEquals(300000L, defaults.getLong("log.retention.check.interval.ms"));
        assertEquals(defaults, defaults.with(Map.of()));
        assertTrue(changed.toString().contains("log.retention.check.interval.ms=1000"), changed.toString());
        assertFalse(changed.toString().contains("num.partitions"), "only changed settings are listed");
    }

    @Test
    void badValuesNameTheSettingAndWhatIsExpected() {
        assertEquals("log.retention.check.interval.ms: expected a positive integer, got '-5'",
                error(Map.of("log.retention.check.interval.ms", "-5")));
        assertEquals("num.partitions: expected a positive integer, got 'many'", error(Map.of("num.partitions", "many")));
        assertEquals("log.cleaner.enable: expected true or false, got 'on'", error(Map.of("log.cleaner.enable", "on")));
        assertEquals("log.cleaner.min.cleanable.ratio: expected a number from 0 to 1, got '2'",
                error(Map.of("log.cleaner.min.cleanable.ratio", "2")));
        assertEquals("log.message.timestamp.type: expected one of CreateTime, LogAppendTime, got 'Now'",
                error(Map.of("log.message.timestamp.type", "Now")));
        assertEquals("log.cleanup.policy: expected a comma-separated list of one or more of delete, compact, got 'keep'",
                error(Map.of("log.cleanup.policy", "keep")));
        assertEquals("log.retention.bytes: expected -1 (no limit) or a non-negative integer, got '-3'",
                error(Map.of("log.retention.bytes", "-3")));
        assertEquals("message.max.bytes: expected an integer >= 76, got '75'", error(Map.of("message.max.bytes", "75")));
        assertEquals("log.cleaner.dedupe.buffer.size: expected an integer >= 1048576, got '1024'",
                error(Map.of("log.cleaner.dedupe.buffer.size", "1024")));
    }

    @Test
    void unknownNameSuggestsTheClosestKnownOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> defaults.with(Map.of("log.retention.check.intervl.ms", "1000")));
        assertEquals("log.retention.check.intervl.ms", e.name());
        assertEquals("unknown broker setting 'log.retention.check.intervl.ms' "
                + "(did you mean 'log.retention.check.interval.ms'?); see --help for the known settings", e.getMessage());
    }

    @Test
    void unknownNamesAreAllListedAndFarOnesGetNoSuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> defaults.with(Map.of("zookeeper.connect", "x", "num.partition", "3", "num.partitions", "3")));
        assertEquals("num.partition", e.name());
        assertEquals("unknown broker setting 'num.partition' (did you mean 'num.partitions'?); "
                + "unknown broker setting 'zookeeper.connect'; see --help for the known settings", e.getMessage());
    }

    @Test
    void groupSessionTimeoutBoundsMustNotCross() {
        assertEquals("group.min.session.timeout.ms: expected at most group.max.session.timeout.ms (5000), got '6000'",
                error(Map.of("group.min.session.timeout.ms", "6000", "group.max.session.timeout.ms", "5000")));
        BrokerSettings equal = defaults.with(Map.of("group.min.session.timeout.ms", "5000",
                "group.max.session.timeout.ms", "5000"));
        assertEquals(5000L, equal.getLong("group.min.session.timeout.ms"));
    }

    @Test
    void corsOriginsAreWebOriginsOrAStarWithoutCredentials() {
        BrokerSettings two = defaults.with(Map.of("security.cors.allowed.origins", "https://app.example.com, http://localhost:3000"));
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"),
                CorsOrigins.parse(two.getString("security.cors.allowed.origins")));
        assertEquals(List.of("*"), CorsOrigins.parse(defaults.with(Map.of("security.cors.allowed.origins", "*"))
                .getString("security.cors.allowed.origins")));
        for (String bad : List.of("app.example.com", "https://app.example.com/path", "ftp://x", "*,https://a.example",
                "https://user@a.example")) {
            assertTrue(error(Map.of("security.cors.allowed.origins", bad)).startsWith("security.cors.allowed.origins: expected "),
                    bad);
        }
        assertTrue(error(Map.of("security.cors.allowed.origins", "*", "security.cors.allow.credentials", "true"))
                .contains("cannot be combined with security.cors.allow.credentials=true"));
        assertTrue(defaults.with(Map.of("security.cors.allowed.origins", "https://a.example",
                "security.cors.allow.credentials", "true")).getBoolean("security.cors.allow.credentials"));
    }

    @Test
    void askingForTheWrongTypeOrAnUnknownNameIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> defaults.getLong("num.partitions"));
        assertThrows(IllegalArgumentException.class, () -> defaults.getString("log.cleanup.policy"));
        assertThrows(IllegalArgumentException.class, () -> defaults.getInt("no.such.setting"));
    }

    @Test
    void definitionsAreLookedUpByName() {
        assertEquals(SettingDef.Type.LIST, BrokerSettings.definition("log.cleanup.policy").orElseThrow().type());
        assertTrue(BrokerSettings.definition("cleanup.policy").isEmpty());
    }

    @Test
    void aTlsGroupIsUsedWholeOrNotAtAll() {
        assertTrue(error(Map.of("security.tls.cert", "a.pem")).startsWith("security.tls.key must be set together"));
        assertTrue(error(Map.of("security.tls.key", "a.key")).startsWith("security.tls.cert must be set together"));
        assertTrue(error(Map.of("security.tls.cert", "a.pem", "security.tls.key", "a.key", "security.tls.keystore", "a.p12",
                "security.tls.keystore.password", "pw")).startsWith("set either security.tls.cert"));
        assertTrue(error(Map.of("security.tls.keystore", "a.p12")).contains("needs security.tls.keystore.password"));
        assertTrue(error(Map.of("security.tls.truststore", "ca.pem")).contains("needs TLS on"));
        // Asking for client certificates without saying which CAs vouch for them would trust the JDK's public CAs.
        assertTrue(error(Map.of("security.tls.cert", "a.pem", "security.tls.key", "a.key", "security.tls.client.auth", "required"))
                .contains("needs security.tls.truststore"));
        // The bus without a truststore would trust every node.
        assertTrue(error(Map.of("security.bus.tls.cert", "b.pem", "security.bus.tls.key", "b.key")).startsWith("mutual TLS on the event bus"));
        BrokerSettings whole = defaults.with(Map.of("security.tls.cert", "a.pem", "security.tls.key", "a.key",
                "security.tls.truststore", "ca.pem", "security.tls.client.auth", "Requested"));
        assertEquals("requested", whole.getString("security.tls.client.auth"));
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), whole.getList("security.tls.protocols"));
        assertTrue(error(Map.of("security.tls.protocols", "TLSv1.1")).startsWith("security.tls.protocols: expected"));
    }

    @Test
    void passwordsAreNeverShown() {
        BrokerSettings withSecret = defaults.with(Map.of("security.tls.keystore", "a.p12", "security.tls.keystore.password", "s3cret-pw"));
        assertEquals("s3cret-pw", withSecret.getString("security.tls.keystore.password"));
        assertFalse(withSecret.toString().contains("s3cret-pw"), withSecret.toString());
        assertTrue(withSecret.toString().contains("security.tls.keystore.password=[hidden]"), withSecret.toString());
        assertFalse(error(Map.of("security.tls.keystore.password", " ")).contains("' '"));
        SettingDef def = BrokerSettings.definition("security.tls.keystore.password").orElseThrow();
        assertEquals("[hidden]", def.shown("s3cret-pw"));
    }

    private String error(Map<String, String> raw) {
        return assertThrows(ConfigException.class, () -> defaults.with(raw)).getMessage();
    }
}

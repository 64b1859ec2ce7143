package io.sluice.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flags and environment variables, their defaults, and the errors a user can make with them. */
class ConfigLoaderTest {

    static NodeConfig load(Map<String, String> env, String... args) {
        return ConfigLoader.load(args, env);
    }

    static NodeConfig load(String... args) {
        return ConfigLoader.load(args, Map.of());
    }

    static ConfigException error(Map<String, String> env, String... args) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(args, env));
    }

    static ConfigException error(String... args) {
        return error(Map.of(), args);
    }

    @Test
    void nothingGivenMeansTheDefaults() {
        NodeConfig c = load();
        assertNull(c.nodeId());
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(8080, c.httpPort());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals("127.0.0.1", c.clusterHost());
        assertEquals(5701, c.clusterPort());
        assertEquals(List.of("127.0.0.1"), c.clusterMembers());
        assertEquals("sluice", c.clusterName());
        assertNull(c.configFile());
        assertNull(c.controllerVoters());
        assertNull(c.controllerPort());
        assertEquals(BrokerSettings.defaults(), c.broker());
    }

    @Test
    void controllerVotersMustBeDistinctIdsWithEndpoints() {
        assertTrue(error("--controller-voters", "n1@h:9093,n2@h").getMessage().contains("id@host:port"));
        assertTrue(error("--controller-voters", "h:9093").getMessage().contains("id@host:port"));
        assertTrue(error("--controller-voters", "n1@h:9093,n1@g:9093").getMessage().contains("each node id at most once"));
        assertTrue(error("--controller-voters", "n1@h:0").getMessage().contains("port"));
        assertTrue(error("--controller-port", "70000").getMessage().contains("65535"));
    }

    /** flag, environment variable, value given, what NodeConfig holds, its accessor. */
    static Stream<Arguments> options() {
        return Stream.of(
                option("--node-id", "SLUICE_NODE_ID", "node-2", "node-2", NodeConfig::nodeId),
                option("--http-host", "SLUICE_HTTP_HOST", "127.0.0.2", "127.0.0.2", NodeConfig::httpHost),
                option("--http-port", "SLUICE_HTTP_PORT", "0", 0, NodeConfig::httpPort),
                option("--data-dir", "SLUICE_DATA_DIR", "/var/lib/sluice", Path.of("/var/lib/sluice"), NodeConfig::dataDir),
                option("--cluster-host", "SLUICE_CLUSTER_HOST", "10.0.0.7", "10.0.0.7", NodeConfig::clusterHost),
                option("--cluster-port", "SLUICE_CLUSTER_PORT", "5801", 5801, NodeConfig::clusterPort),
                option("--cluster-members", "SLUICE_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2",
                        List.of("10.0.0.1:5701", "10.0.0.2"), NodeConfig::clusterMembers),
                option("--cluster-name", "SLUICE_CLUSTER_NAME", "prod-eu.1", "prod-eu.1", NodeConfig::clusterName),
                option("--controller-voters", "SLUICE_CONTROLLER_VOTERS", "n1@10.0.0.1:9093, n2@host-b:9093,n3@[::1]:9094",
                        List.of("n1@10.0.0.1:9093", "n2@host-b:9093", "n3@[::1]:9094"), NodeConfig::controllerVoters),
                option("--controller-port", "SLUICE_CONTROLLER_PORT", "9095", 9095, NodeConfig::controllerPort));
    }

    private static Arguments option(String flag, String env, String value, Object expected,
            Function<NodeConfig, Object> accessor) {
        return Arguments.of(flag, env, value, expected, accessor);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void everyFlagTakesItsValueSeparatelyOrAfterAnEqualsSign(String flag, String env, String value, Object expected,
            Function<NodeConfig, Object> accessor) {
        assertEquals(expected, accessor.apply(load(flag, value)));
        assertEquals(expected, accessor.apply(load(flag + "=" + value)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("options")
    void everyFlagHasAnEnvironmentVariable(String flag, String env, String value, Object expected,
            Function<NodeConfig, Object> accessor) {
        assertEquals(expected, accessor.apply(load(Map.of(env, value))));
    }

    @Test
    void clusterMembersDefaultToTheClusterHost() {
        assertEquals(List.of("10.1.2.3"), load("--cluster-host", "10.1.2.3").clusterMembers());
    }

    @Test
    void aRepeatedFlagKeepsItsLastValue() {
        assertEquals(9002, load("--http-port", "9001", "--http-port=9002").httpPort());
    }

    @Test
    void setIsRepeatableAndTakesBothForms() {
        NodeConfig c = load("--set", "log.retention.check.interval.ms=1000", "--set=log.cleaner.backoff.ms=50",
                "--set", "log.cleanup.policy=compact,delete", "--set", "log.cleaner.backoff.ms=60");
        assertEquals(1000L, c.broker().getLong("log.retention.check.interval.ms"));
        assertEquals(60L, c.broker().getLong("log.cleaner.backoff.ms"));
        assertEquals(List.of("delete", "compact"), c.broker().getList("log.cleanup.policy"));
    }

    @Test
    void brokerSettingsHaveEnvironmentVariablesInUpperSnakeCase() {
        NodeConfig c = load(Map.of("SLUICE_LOG_RETENTION_CHECK_INTERVAL_MS", "1000",
                "SLUICE_REPLICA_LAG_TIME_MAX_MS", "2500", "SLUICE_IO_THREADS", "8",
                "PATH", "/usr/bin", "HOME", "/root"));
        assertEquals(1000L, c.broker().getLong("log.retention.check.interval.ms"));
        assertEquals(2500L, c.broker().getLong("replica.lag.time.max.ms"));
        assertEquals(8, c.broker().getInt("sluice.io.threads"));
    }

    @Test
    void flagsWinOverTheEnvironment() {
        NodeConfig c = load(Map.of("SLUICE_HTTP_PORT", "2222", "SLUICE_LOG_ROLL_MS", "2"),
                "--http-port", "3333", "--set", "log.roll.ms=3");
        assertEquals(3333, c.httpPort());
        assertEquals(3L, c.broker().getLong("log.roll.ms"));
    }

    @Test
    void unknownFlagSuggestsTheClosestOne() {
        ConfigException e = error("--http-prot", "80");
        assertEquals("--http-prot", e.name());
        assertEquals("unknown flag '--http-prot' (did you mean '--http-port'?); see --help", e.getMessage());
        assertEquals("unknown flag '-x'; see --help", error("-x").getMessage());
        assertEquals("unexpected argument 'serve': options start with --; see --help", error("serve").getMessage());
    }

    @Test
    void aFlagWithoutItsValueIsRejected() {
        assertEquals("--http-port: missing value; expected --http-port PORT", error("--http-port").getMessage());
        assertEquals("--data-dir: missing value; expected --data-dir DIR",
                error("--data-dir", "--node-id", "a").getMessage());
        assertEquals("--set: missing value; expected --set NAME=VALUE", error("--set").getMessage());
    }

    @Test
    void badFlagValuesNameTheFlag() {
        ConfigException e = error("--http-port", "abc");
        assertEquals("http.port", e.name());
        assertEquals("--http-port: expected an integer from 0 to 65535, got 'abc'", e.getMessage());
        assertEquals("--cluster-port: expected an integer from 0 to 65535, got '65536'",
                error("--cluster-port=65536").getMessage());
        assertEquals("--node-id: expected 1 to 64 letters, digits, '.', '_' or '-', got 'node 1'",
                error("--node-id", "node 1").getMessage());
        assertEquals("--cluster-name: expected letters, digits, '.', '_' or '-', got 'a/b'",
                error("--cluster-name", "a/b").getMessage());
        assertEquals("--http-host: expected a host name or IP address, got ''", error("--http-host=").getMessage());
        assertEquals("--data-dir: expected a file system path, got ''", error("--data-dir=").getMessage());
    }

    @Test
    void badSetValuesNameTheSetting() {
        ConfigException e = error("--set", "log.retention.check.interval.ms=-5");
        assertEquals("log.retention.check.interval.ms", e.name());
        assertEquals("--set log.retention.check.interval.ms: expected a positive integer, got '-5'", e.getMessage());
        assertEquals("--set: expected NAME=VALUE with the name of a broker setting, got 'log.roll.ms'",
                error("--set", "log.roll.ms").getMessage());
        assertEquals("--set: unknown broker setting 'log.retention.check.intervl.ms' "
                        + "(did you mean 'log.retention.check.interval.ms'?); see --help",
                error("--set", "log.retention.check.intervl.ms=1000").getMessage());
        assertEquals("--set: http.port is a node option, not a broker setting; use --http-port",
                error("--set", "http.port=80").getMessage());
    }

    @Test
    void portRangesAreRejectedInClusterMembers() {
        ConfigException e = error("--cluster-members", "10.0.0.1:5701-5710");
        assertEquals("--cluster-members: expected host or host:port entries with one port each (port ranges are not "
                + "accepted in a member list; list each member as host:port), got '10.0.0.1:5701-5710'", e.getMessage());
    }

    @Test
    void unknownSluiceVariableIsTreatedAsATypo() {
        ConfigException e = error(Map.of("SLUICE_LOG_RETENTION_CHECK_INTERVL_MS", "1000"));
        assertEquals("SLUICE_LOG_RETENTION_CHECK_INTERVL_MS", e.name());
        assertEquals("unknown environment variable 'SLUICE_LOG_RETENTION_CHECK_INTERVL_MS' (did you mean "
                + "'SLUICE_LOG_RETENTION_CHECK_INTERVAL_MS'?); every SLUICE_* variable is read as a setting, see --help",
                e.getMessage());
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertEquals("SLUICE_HTTP_PORT: expected an integer from 0 to 65535, got 'abc'",
                error(Map.of("SLUICE_HTTP_PORT", "abc")).getMessage());
        ConfigException e = error(Map.of("SLUICE_LOG_CLEANER_ENABLE", "yes"));
        assertEquals("log.cleaner.enable", e.name());
        assertEquals("SLUICE_LOG_CLEANER_ENABLE: expected true or false, got 'yes'", e.getMessage());
    }

    @Test
    void helpIsRequestedWithEitherFlagBeforeAnythingElseIsChecked() {
        assertThrows(ConfigLoader.HelpRequested.class, () -> load("--help"));
        assertThrows(ConfigLoader.HelpRequested.class, () -> load("--http-port", "1", "-h", "--bogus"));
        assertThrows(ConfigLoader.HelpRequested.class, () -> load(Map.of("SLUICE_BOGUS", "1"), "--help"));
        assertEquals("--help takes no value; see --help", error("--help=yes").getMessage());
    }

    @Test
    void usageMentionsEveryFlagVariableFileKeyAndSetting() {
        String usage = ConfigLoader.usage();
        for (NodeOption option : NodeOption.values()) {
            assertContains(usage, option.flag() + " " + option.metavar);
            assertContains(usage, option.envVar());
            assertContains(usage, option.doc);
            assertContains(usage, "default " + option.defaultForHelp());
        }
        for (String key : List.of("node.id", "http.host", "http.port", "data.dir", "cluster.host", "cluster.port",
                "cluster.members", "cluster.name")) {
            assertContains(usage, "file key " + key);
        }
        for (String flag : List.of("--set NAME=VALUE", "--help, -h")) {
            assertContains(usage, flag);
        }
        for (SettingDef def : BrokerSettings.definitions()) {
            assertContains(usage, "  " + def.name() + " = "
                    + (def.defaultValue() == null ? "(unset)" : def.format(def.defaultValue())) + "\n");
            assertContains(usage, def.doc());
            assertContains(usage, ConfigLoader.envVar(def.name()));
        }
        assertContains(usage, "log.retention.check.interval.ms = 300000");
    }

    private static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("usage lacks '" + part + "'");
        }
    }
}

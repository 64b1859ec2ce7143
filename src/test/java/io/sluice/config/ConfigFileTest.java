package io.sluice.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sluice.config.ConfigLoaderTest.error;
import static io.sluice.config.ConfigLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The config file, and its place in the precedence defaults < file < environment < flags. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path file = dir.resolve("sluice.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void everyNodeKeyAndBrokerSettingIsReadFromTheFile() throws IOException {
        Path file = file("# a comment", "node.id=n1", "http.host=127.0.0.1", "http.port=9090", "data.dir=/srv/sluice",
                "cluster.host=10.0.0.1", "cluster.port=5801", "cluster.members=10.0.0.1:5801,10.0.0.2:5801",
                "cluster.name=staging", "log.retention.check.interval.ms=1000", "log.cleanup.policy=compact");
        NodeConfig c = load("--config", file.toString());
        assertEquals("n1", c.nodeId());
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals(9090, c.httpPort());
        assertEquals(Path.of("/srv/sluice"), c.dataDir());
        assertEquals("10.0.0.1", c.clusterHost());
        assertEquals(5801, c.clusterPort());
        assertEquals(List.of("10.0.0.1:5801", "10.0.0.2:5801"), c.clusterMembers());
        assertEquals("staging", c.clusterName());
        assertEquals(file, c.configFile());
        assertEquals(1000L, c.broker().getLong("log.retention.check.interval.ms"));
        assertEquals(List.of("compact"), c.broker().getList("log.cleanup.policy"));
    }

    @Test
    void fileLosesToEnvironmentWhichLosesToFlags() throws IOException {
        Path file = file("http.port=1111", "log.roll.ms=1", "cluster.name=from-file");
        Map<String, String> env = Map.of("SLUICE_HTTP_PORT", "2222", "SLUICE_LOG_ROLL_MS", "2",
                "SLUICE_CONFIG", file.toString());

        NodeConfig fileOnly = load(Map.of("SLUICE_CONFIG", file.toString()));
        assertEquals(1111, fileOnly.httpPort());
        assertEquals(1L, fileOnly.broker().getLong("log.roll.ms"));

        NodeConfig fileAndEnv = load(env);
        assertEquals(2222, fileAndEnv.httpPort());
        assertEquals(2L, fileAndEnv.broker().getLong("log.roll.ms"));
        assertEquals("from-file", fileAndEnv.clusterName());

        NodeConfig all = load(env, "--http-port", "3333", "--set", "log.roll.ms=3");
        assertEquals(3333, all.httpPort());
        assertEquals(3L, all.broker().getLong("log.roll.ms"));
        assertEquals("from-file", all.clusterName());
    }

    @Test
    void configFlagWinsOverConfigVariable() throws IOException {
        Path flagged = file("http.port=1111");
        Path other = dir.resolve("other.properties");
        Files.writeString(other, "http.port=2222\n");
        NodeConfig c = load(Map.of("SLUICE_CONFIG", other.toString()), "--config=" + flagged);
        assertEquals(1111, c.httpPort());
        assertEquals(flagged, c.configFile());
    }

    @Test
    void settingsAreCheckedTogetherAfterTheSourcesAreMerged() throws IOException {
        Path file = file("group.max.session.timeout.ms=500");
        NodeConfig c = load(Map.of("SLUICE_CONFIG", file.toString(), "SLUICE_GROUP_MIN_SESSION_TIMEOUT_MS", "100"));
        assertEquals(100L, c.broker().getLong("group.min.session.timeout.ms"));
        assertEquals("group.min.session.timeout.ms: expected at most group.max.session.timeout.ms (500), got '1000'",
                error(Map.of("SLUICE_CONFIG", file.toString())).getMessage());
    }

    @Test
    void aBadValueIsReportedEvenWhenAHigherSourceOverridesIt() throws IOException {
        Path file = file("http.port=eighty");
        assertEquals("http.port (in " + file + "): expected an integer from 0 to 65535, got 'eighty'",
                error("--config", file.toString(), "--http-port", "80").getMessage());
    }

    @Test
    void badBrokerValueNamesTheKeyAndTheFile() throws IOException {
        Path file = file("log.retention.check.interval.ms=-5");
        ConfigException e = error("--config", file.toString());
        assertEquals("log.retention.check.interval.ms", e.name());
        assertEquals("log.retention.check.interval.ms (in " + file + "): expected a positive integer, got '-5'",
                e.getMessage());
    }

    @Test
    void unknownKeyNamesTheFileAndTheKey() throws IOException {
        Path file = file("http.prot=80");
        ConfigException e = error("--config", file.toString());
        assertEquals("http.prot", e.name());
        assertEquals("config file " + file + ": unknown key 'http.prot' (did you mean 'http.port'?); see --help",
                e.getMessage());
    }

    @Test
    void theFileCannotNameAnotherFile() throws IOException {
        Path file = file("config=/etc/other.properties");
        assertEquals("config file " + file + ": unknown key 'config'; see --help",
                error("--config", file.toString()).getMessage());
    }

    @Test
    void missingOrUnreadableFileIsReportedWithWhereItWasNamed() {
        Path missing = dir.resolve("missing.properties");
        ConfigException e = error("--config", missing.toString());
        assertEquals("config", e.name());
        assertEquals("--config: config file '" + missing + "' does not exist", e.getMessage());
        assertEquals("SLUICE_CONFIG: config file '" + missing + "' does not exist",
                error(Map.of("SLUICE_CONFIG", missing.toString())).getMessage());
        assertEquals("--config: cannot read config file '" + dir + "': Is a directory",
                error("--config", dir.toString()).getMessage());
    }

    @Test
    void fileThatIsNotUtf8IsRejected() throws IOException {
        Path file = dir.resolve("latin1.properties");
        Files.write(file, new byte[] {'n', 'o', 'd', 'e', '.', 'i', 'd', '=', (byte) 0xe9});
        assertEquals("--config: config file '" + file + "' is not UTF-8 text",
                error("--config", file.toString()).getMessage());
    }
}

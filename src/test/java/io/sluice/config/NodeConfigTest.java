package io.sluice.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.sluice.config.ConfigLoaderTest.error;
import static io.sluice.config.ConfigLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The node record's invariants, and the member-list syntax Hazelcast accepts. */
class NodeConfigTest {
    private static NodeConfig node(String nodeId, int httpPort, List<String> members, String clusterName) {
        return new NodeConfig(nodeId, "0.0.0.0", httpPort, Path.of("data"), "10.0.0.9", 5701, members, clusterName,
                null, null, null, BrokerSettings.defaults());
    }

    @Test
    void membersTakeHostsHostPortsAndIpv6Literals() {
        assertEquals(List.of("a.example", "b.example:5702", "[::1]:5703", "[fe80::1]", "::1", "10.0.0.3"),
                load("--cluster-members", "a.example, b.example:5702,[::1]:5703,[fe80::1],::1,10.0.0.3").clusterMembers());
    }

    @Test
    void badMembersAreRejectedWithTheWholeEntry() {
        assertEquals("--cluster-members: expected host:port with a port from 1 to 65535, got 'h:70000'",
                error("--cluster-members", "a,h:70000").getMessage());
        assertEquals("--cluster-members: expected host:port with a port from 1 to 65535, got 'h:'",
                error("--cluster-members", "h:").getMessage());
        assertEquals("--cluster-members: expected host:port with a port from 1 to 65535, got 'h:0'",
                error("--cluster-members", "h:0").getMessage());
        assertEquals("--cluster-members: expected comma-separated host or host:port entries, each with a host name "
                + "or IP address, got ''", error("--cluster-members", "a,,b").getMessage());
        assertEquals("--cluster-members: expected host or host:port entries, got '[::1'",
                error("--cluster-members", "[::1").getMessage());
        assertEquals("SLUICE_CLUSTER_MEMBERS: expected host or host:port entries with one port each (port ranges are "
                        + "not accepted in a member list; list each member as host:port), got '[::1]:5701-5703'",
                error(java.util.Map.of("SLUICE_CLUSTER_MEMBERS", "[::1]:5701-5703")).getMessage());
    }

    @Test
    void missingMembersMeanJustTheClusterHost() {
        assertEquals(List.of("10.0.0.9"), node(null, 8080, null, "sluice").clusterMembers());
    }

    @Test
    void theRecordNormalizesLikeTheLoader() {
        NodeConfig c = node(" n1 ", 8080, List.of(" a:1 ", "b"), "sluice");
        assertEquals("n1", c.nodeId());
        assertEquals(List.of("a:1", "b"), c.clusterMembers());
        assertThrows(UnsupportedOperationException.class, () -> c.clusterMembers().add("c"));
    }

    @Test
    void theRecordRejectsWhatTheLoaderWould() {
        String longest = "n".repeat(64);
        assertEquals(longest, node(longest, 8080, null, "sluice").nodeId());
        ConfigException e = assertThrows(ConfigException.class, () -> node(longest + "n", 8080, null, "sluice"));
        assertEquals("node.id", e.name());
        assertEquals("node.id: expected 1 to 64 letters, digits, '.', '_' or '-', got '" + longest + "n'", e.getMessage());
        assertEquals("http.port: expected an integer from 0 to 65535, got '-1'",
                assertThrows(ConfigException.class, () -> node(null, -1, null, "sluice")).getMessage());
        assertEquals("cluster.members: expected comma-separated host or host:port entries, each with a host name or "
                + "IP address, got ''", assertThrows(ConfigException.class, () -> node(null, 1, List.of(), "s")).getMessage());
        assertEquals("cluster.name: expected letters, digits, '.', '_' or '-', got 'my cluster'",
                assertThrows(ConfigException.class, () -> node(null, 1, null, "my cluster")).getMessage());
        assertThrows(NullPointerException.class, () -> new NodeConfig(null, "h", 1, Path.of("d"), "h", 1, null, "s",
                null, null, null, null));
    }
}

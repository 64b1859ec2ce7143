package io.sluice.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The node-level options: where this node listens, keeps its data and finds its cluster. Each is a
 * flag ({@code --http-port}), an environment variable ({@code SLUICE_HTTP_PORT}) and, except
 * {@code config}, a config-file key ({@code http.port}). This enum owns those spellings, the help
 * line, and the parsing of a raw string into the type {@link NodeConfig} holds.
 */
enum NodeOption {
    NODE_ID("node.id", "ID", null, "this node's name in the cluster: 1 to 64 letters, digits, '.', '_' or '-'"),
    HTTP_HOST("http.host", "HOST", "0.0.0.0", "interface the HTTP and WebSocket API listens on"),
    HTTP_PORT("http.port", "PORT", "8080", "port of the HTTP and WebSocket API; 0 picks any free port"),
    DATA_DIR("data.dir", "DIR", "./data", "directory holding this node's partition logs"),
    CLUSTER_HOST("cluster.host", "HOST", "127.0.0.1", "address this cluster member (Hazelcast) binds to and advertises"),
    CLUSTER_PORT("cluster.port", "PORT", "5701", "port of this cluster member (Hazelcast)"),
    CLUSTER_MEMBERS("cluster.members", "HOST[:PORT],...", null,
            "cluster members to join, comma-separated host or host:port (no port ranges)"),
    CLUSTER_NAME("cluster.name", "NAME", "sluice", "nodes join only members with the same cluster name"),
    CONTROLLER_VOTERS("controller.voters", "ID@HOST:PORT,...", null,
            "the controller quorum: nodes whose majority commits cluster metadata, each with its quorum endpoint; "
                    + "nodes not listed are brokers only"),
    CONTROLLER_PORT("controller.port", "PORT", null,
            "port this node's quorum endpoint binds to (a voter); default: the port of its own entry in the voters"),
    CONFIG("config", "FILE", null, "Java properties file: any option above by its key, and broker settings");

    private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CLUSTER_NAME_PATTERN = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST_PATTERN = Pattern.compile("[^\\s,/\\[\\]]+");
    private static final Pattern PORT_RANGE = Pattern.compile("\\d+\\s*-\\s*\\d+");
    private static final String HOST = "a host name or IP address";

    /** The config-file key; the flag and the environment variable are derived from it. */
    final String key;
    final String metavar;
    private final String defaultRaw;
    final String doc;

    NodeOption(String key, String metavar, String defaultRaw, String doc) {
        this.key = key;
        this.metavar = metavar;
        this.defaultRaw = defaultRaw;
        this.doc = doc;
    }

    String flag() {
        return "--" + key.replace('.', '-');
    }

    String envVar() {
        return ConfigLoader.envVar(key);
    }

    /** The config file cannot name another config file. */
    boolean inConfigFile() {
        return this != CONFIG;
    }

    /** The typed default, or null when the option is unset unless given. */
    Object defaultValue() {
        return defaultRaw == null ? null : parse(defaultRaw, key);
    }

    String defaultForHelp() {
        return defaultRaw != null ? defaultRaw : switch (this) {
            case CLUSTER_MEMBERS -> "the cluster host";
            case CONTROLLER_VOTERS -> "stored, else a quorum of one (see README)";
            case CONTROLLER_PORT -> "its voter entry's port";
            default -> "none";
        };
    }

    /**
     * The typed value of {@code raw}: String for ids, names and hosts, Integer for ports, Path for
     * directories and files, {@code List<String>} for members.
     *
     * @param label where the value came from, as the user wrote it; error messages start with it
     */
    Object parse(String raw, String label) {
        String v = raw.trim();
        return switch (this) {
            case NODE_ID -> matching(v, NODE_ID_PATTERN, label, "1 to 64 letters, digits, '.', '_' or '-'");
            case CLUSTER_NAME -> matching(v, CLUSTER_NAME_PATTERN, label, "letters, digits, '.', '_' or '-'");
            case HTTP_HOST, CLUSTER_HOST -> matching(v, HOST_PATTERN, label, HOST);
            case HTTP_PORT, CLUSTER_PORT, CONTROLLER_PORT -> port(v, 0, label, v);
            case CONTROLLER_VOTERS -> voters(v, label);
            case DATA_DIR, CONFIG -> path(v, label);
            case CLUSTER_MEMBERS -> members(v, label);
        };
    }

    /** The string form {@link #parse} reads back to the same value. */
    String format(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    private String matching(String v, Pattern pattern, String label, String expected) {
        if (!pattern.matcher(v).matches()) {
            throw ConfigException.invalid(key, label, expected, v);
        }
        return v;
    }

    private int port(String v, int min, String label, String whole) {
        try {
            int port = Integer.parseInt(v);
            if (port >= min && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the whole value
        }
        String expected = whole.equals(v) ? "an integer from " + min + " to 65535"
                : "host:port with a port from " + min + " to 65535";
        throw ConfigException.invalid(key, label, expected, whole);
    }

    private Path path(String v, String label) {
        try {
            if (!v.isEmpty()) {
                return Path.of(v);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw ConfigException.invalid(key, label, "a file system path", v);
    }

    private List<String> members(String v, String label) {
        List<String> members = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            String member = part.trim();
            checkMember(member, label);
            members.add(member);
        }
        return List.copyOf(members);
    }

    private static final Pattern VOTER = Pattern.compile("([A-Za-z0-9._-]{1,64})@([^\\s,/@]+):(\\d+)");

    /** {@code id@host:port,...}: distinct ids, each with one endpoint. */
    private List<String> voters(String v, String label) {
        List<String> voters = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String part : v.split(",", -1)) {
            String voter = part.trim();
            java.util.regex.Matcher m = VOTER.matcher(voter);
            if (!m.matches()) {
                throw ConfigException.invalid(key, label, "comma-separated id@host:port entries (a node id, '@', "
                        + HOST + ", ':' and a port)", voter);
            }
            port(m.group(3), 1, label, voter);
            if (!ids.add(m.group(1))) {
                throw ConfigException.invalid(key, label, "each node id at most once", voter);
            }
            voters.add(voter);
        }
        return List.copyOf(voters);
    }

    /** {@code host}, {@code host:port}, {@code [ipv6]}, {@code [ipv6]:port} or a bare IPv6 address. */
    private void checkMember(String member, String label) {
        String host = member;
        String port = null;
        if (member.startsWith("[")) {
            int close = member.indexOf(']');
            String rest = close < 0 ? "" : member.substring(close + 1);
            if (close < 0 || !(rest.isEmpty() || rest.startsWith(":"))) {
                throw ConfigException.invalid(key, label, "host or host:port entries", member);
            }
            host = member.substring(1, close);
            port = rest.isEmpty() ? null : rest.substring(1);
        } else if (member.indexOf(':') == member.lastIndexOf(':') && member.indexOf(':') >= 0) {
            host = member.substring(0, member.indexOf(':'));
            port = member.substring(member.indexOf(':') + 1);
        }
        if (!HOST_PATTERN.matcher(host).matches()) {
            throw ConfigException.invalid(key, label, "comma-separated host or host:port entries, each with "
                    + HOST, member);
        }
        if (port != null && PORT_RANGE.matcher(port).matches()) {
            // Hazelcast takes port ranges in its own port setting, not in a member address.
            throw ConfigException.invalid(key, label, "host or host:port entries with one port each (port ranges "
                    + "are not accepted in a member list; list each member as host:port)", member);
        }
        if (port != null) {
            port(port, 1, label, member);
        }
    }
}

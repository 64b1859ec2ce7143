package io.sluice.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The only reader of configuration sources. Builds a node's {@link NodeConfig} from, in increasing
 * precedence: the defaults, the config file ({@code --config} / {@code SLUICE_CONFIG}), the
 * environment ({@code SLUICE_*}) and the command-line flags. Every value is validated against the
 * source it came from, so an error names the flag, variable or file key the user has to fix.
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "SLUICE_";

    /** Thrown by {@link #load} for {@code --help}/{@code -h}: print {@link #usage()} and exit 0. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            // Control flow, not a failure: no stack trace to capture.
            super("help requested", null, false, false);
        }
    }

    private ConfigLoader() {
    }

    /**
     * @param args the command line
     * @param env  the environment, normally {@link System#getenv()}; every {@code SLUICE_*} variable in
     *             it must be a known one
     * @throws ConfigException for anything that cannot be used, naming it
     * @throws HelpRequested   for {@code --help} or {@code -h}
     */
    public static NodeConfig load(String[] args, Map<String, String> env) {
        ConfigLayer flags = CommandLine.parse(args);
        ConfigLayer environment = readEnvironment(env);
        ConfigLayer file = new ConfigLayer();
        Path configFile = null;
        if (flags.has(NodeOption.CONFIG) || environment.has(NodeOption.CONFIG)) {
            boolean flagged = flags.has(NodeOption.CONFIG);
            configFile = (Path) (flagged ? flags : environment).get(NodeOption.CONFIG);
            file = ConfigFile.read(configFile, flagged ? NodeOption.CONFIG.flag() : NodeOption.CONFIG.envVar());
        }
        List<ConfigLayer> highestFirst = List.of(flags, environment, file);

        Map<String, String> broker = new LinkedHashMap<>();
        for (int i = highestFirst.size() - 1; i >= 0; i--) {
            broker.putAll(highestFirst.get(i).broker());
        }
        @SuppressWarnings("unchecked")
        List<String> members = (List<String>) value(NodeOption.CLUSTER_MEMBERS, highestFirst);
        @SuppressWarnings("unchecked")
        List<String> voters = (List<String>) value(NodeOption.CONTROLLER_VOTERS, highestFirst);
        return new NodeConfig(
                (String) value(NodeOption.NODE_ID, highestFirst),
                (String) value(NodeOption.HTTP_HOST, highestFirst),
                (Integer) value(NodeOption.HTTP_PORT, highestFirst),
                (Path) value(NodeOption.DATA_DIR, highestFirst),
                (String) value(NodeOption.CLUSTER_HOST, highestFirst),
                (Integer) value(NodeOption.CLUSTER_PORT, highestFirst),
                members,
                (String) value(NodeOption.CLUSTER_NAME, highestFirst),
                voters,
                (Integer) value(NodeOption.CONTROLLER_PORT, highestFirst),
                configFile,
                BrokerSettings.defaults().with(broker));
    }

    /**
     * {@code id@host:port,...} checked as {@code --controller-voters} is, for the API that changes
     * the voters.
     */
    @SuppressWarnings("unchecked")
    public static List<String> voters(String raw) {
        if (raw == null) {
            throw new ConfigException("voters", "'voters' is required: id@host:port,...");
        }
        return (List<String>) NodeOption.CONTROLLER_VOTERS.parse(raw, "voters");
    }

    /** The help text: every flag with its variable, file key and default, then every broker setting. */
    public static String usage() {
        return Usage.text();
    }

    /**
     * The environment variable of a broker setting: {@code log.retention.ms} is
     * {@code SLUICE_LOG_RETENTION_MS}; Sluice's own {@code sluice.io.threads} is
     * {@code SLUICE_IO_THREADS} (the prefix is not repeated).
     */
    static String envVar(String settingName) {
        String name = settingName.startsWith("sluice.") ? settingName.substring("sluice.".length()) : settingName;
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Object value(NodeOption option, List<ConfigLayer> highestFirst) {
        for (ConfigLayer layer : highestFirst) {
            if (layer.has(option)) {
                return layer.get(option);
            }
        }
        return option.defaultValue();
    }

    private static ConfigLayer readEnvironment(Map<String, String> env) {
        Map<String, NodeOption> nodeVars = new TreeMap<>();
        for (NodeOption option : NodeOption.values()) {
            nodeVars.put(option.envVar(), option);
        }
        Map<String, SettingDef> brokerVars = new TreeMap<>();
        for (SettingDef def : BrokerSettings.definitions()) {
            brokerVars.put(envVar(def.name()), def);
        }
        ConfigLayer layer = new ConfigLayer();
        // Sorted, so that with several bad variables the same one is reported every time.
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (!var.startsWith(ENV_PREFIX)) {
                continue;
            }
            if (nodeVars.containsKey(var)) {
                layer.putNode(nodeVars.get(var), e.getValue(), var);
            } else if (brokerVars.containsKey(var)) {
                layer.putBroker(brokerVars.get(var), e.getValue(), var);
            } else {
                // A SLUICE_ variable that means nothing is almost always a misspelt setting.
                List<String> known = new ArrayList<>(nodeVars.keySet());
                known.addAll(brokerVars.keySet());
                throw new ConfigException(var, Names.unknown("environment variable", var, known)
                        + "; every " + ENV_PREFIX + "* variable is read as a setting, see --help");
            }
        }
        return layer;
    }
}

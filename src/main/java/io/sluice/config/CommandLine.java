package io.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the command line: {@code --flag value} or {@code --flag=value} for each {@link NodeOption},
 * repeatable {@code --set name=value} for broker settings, and {@code --help}/{@code -h}. A repeated
 * option keeps its last value, as with most command-line tools.
 */
final class CommandLine {
    static final String SET = "--set";
    static final String HELP = "--help";
    static final String HELP_SHORT = "-h";

    private static final Map<String, NodeOption> BY_FLAG = new LinkedHashMap<>();
    private static final List<String> FLAGS = new ArrayList<>();

    static {
        for (NodeOption option : NodeOption.values()) {
            BY_FLAG.put(option.flag(), option);
        }
        FLAGS.addAll(BY_FLAG.keySet());
        FLAGS.addAll(List.of(SET, HELP));
    }

    private CommandLine() {
    }

    /** @throws ConfigLoader.HelpRequested when asked for help, before anything after it is read */
    static ConfigLayer parse(String[] args) {
        ConfigLayer layer = new ConfigLayer();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(HELP) || arg.equals(HELP_SHORT)) {
                throw new ConfigLoader.HelpRequested();
            }
            if (!arg.startsWith("-")) {
                throw new ConfigException(arg, "unexpected argument '" + arg + "': options start with --; see --help");
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String flag = eq > 0 ? arg.substring(0, eq) : arg;
            NodeOption option = BY_FLAG.get(flag);
            if (option == null && !flag.equals(SET)) {
                String problem = flag.equals(HELP) ? "--help takes no value" : Names.unknown("flag", flag, FLAGS);
                throw new ConfigException(flag, problem + "; see --help");
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                String metavar = option == null ? "NAME=VALUE" : option.metavar;
                throw new ConfigException(flag, flag + ": missing value; expected " + flag + " " + metavar);
            }
            if (option != null) {
                layer.putNode(option, value, flag);
            } else {
                set(layer, value);
            }
        }
        return layer;
    }

    private static void set(ConfigLayer layer, String assignment) {
        int eq = assignment.indexOf('=');
        String name = eq < 0 ? "" : assignment.substring(0, eq).trim();
        if (name.isEmpty()) {
            throw ConfigException.invalid(SET, SET, "NAME=VALUE with the name of a broker setting", assignment);
        }
        SettingDef def = BrokerSettings.definition(name).orElseThrow(() -> unknownSetting(name));
        layer.putBroker(def, assignment.substring(eq + 1), SET + " " + name);
    }

    private static ConfigException unknownSetting(String name) {
        for (NodeOption option : NodeOption.values()) {
            if (option.key.equals(name)) {
                return new ConfigException(name, SET + ": " + name + " is a node option, not a broker setting; use "
                        + option.flag());
            }
        }
        return new ConfigException(name, SET + ": " + Names.unknown("broker setting", name,
                BrokerSettingDefs.BY_NAME.keySet()) + "; see --help");
    }
}

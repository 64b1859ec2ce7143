package io.sluice.config;

/**
 * The help text, generated from the definitions so that it cannot drift from what the loader accepts.
 */
final class Usage {
    private static final String INDENT = "      ";

    private Usage() {
    }

    static String text() {
        StringBuilder out = new StringBuilder()
                .append("Usage: java -jar sluice.jar [OPTION]...\n\n")
                .append("Starts a Sluice node. Every option is also an environment variable and, except --config,\n")
                .append("a key of the config file. Precedence: defaults < config file < environment < flags.\n")
                .append("Flags take --flag VALUE or --flag=VALUE.\n\n")
                .append("Options:\n");
        for (NodeOption option : NodeOption.values()) {
            out.append("  ").append(option.flag()).append(' ').append(option.metavar).append('\n')
                    .append(INDENT).append(option.doc).append('\n')
                    .append(INDENT).append("env ").append(option.envVar());
            if (option.inConfigFile()) {
                out.append(", file key ").append(option.key);
            }
            out.append(", default ").append(option.defaultForHelp()).append('\n');
        }
        out.append("  ").append(CommandLine.SET).append(" NAME=VALUE\n")
                .append(INDENT).append("a broker setting (below) by its Kafka name; repeatable\n")
                .append(INDENT).append("env SLUICE_ + NAME in upper case with '.' as '_' (sluice.x.y: SLUICE_X_Y), file key NAME\n")
                .append("  ").append(CommandLine.HELP).append(", ").append(CommandLine.HELP_SHORT).append('\n')
                .append(INDENT).append("print this help and exit\n\n")
                .append("Broker settings (NAME = default):\n");
        for (SettingDef def : BrokerSettings.definitions()) {
            out.append("  ").append(def.name()).append(" = ").append(def.defaultValue() == null ? "(unset)" : def.format(def.defaultValue())).append('\n')
                    .append(INDENT).append(def.doc()).append('\n')
                    .append(INDENT).append(def.expected()).append("; env ").append(ConfigLoader.envVar(def.name()))
                    .append('\n');
        }
        return out.toString();
    }
}

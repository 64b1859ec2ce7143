package io.sluice.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The load tool's entry point: {@code java -jar sluice-load.jar <workload> [options]}. Owns the
 * command line as a whole: the subcommands (one per workload, and the ceiling server), the help
 * option every one of them takes, and how numbers are read. Exit codes: 0, 1 if the run had
 * errors or missed its deadline, 2 for a bad command line.
 */
@Command(name = "sluice-load",
        description = {
                "Drives a running Sluice node over its public HTTP/WebSocket API and reports records/s, MiB/s and "
                        + "latency percentiles. Progress goes to stderr once a second; results go to stdout as "
                        + "'RESULT <workload>.<metric> <value>' lines. Exit code 1 if any request failed, a record "
                        + "went missing or a deadline passed; 2 for a bad command line.",
                "Numbers may hold underscores (1_000_000); a repeated option's last value wins.",
                "'<command> --help' lists a command's options and their defaults."},
        subcommands = {ProduceBatch.class, ProduceNdjson.class, ProduceSingle.class, ProduceWs.class,
                ConsumeWs.class, ConsumeLive.class, ConsumeIdle.class, ConsumeFanout.class, EndToEnd.class,
                CeilingServerCommand.class})
public final class LoadTool {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, ready to parse or execute. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LoadTool());
        // (Scripts give shared options first and override some of them later, as the old parser allowed.)
        cli.setOverwrittenOptionsAllowed(true);
        cli.registerConverter(Long.class, LoadTool::parseLong).registerConverter(long.class, LoadTool::parseLong);
        cli.registerConverter(Integer.class, LoadTool::parseInt).registerConverter(int.class, LoadTool::parseInt);
        return cli;
    }

    /** The workload a command line names, its options parsed (for tests, which run it in place). */
    static WorkloadCommand parse(String... args) {
        CommandLine.ParseResult parsed = commandLine().parseArgs(args);
        return (WorkloadCommand) parsed.subcommand().commandSpec().userObject();
    }

    private static long parseLong(String s) {
        return Long.parseLong(s.replace("_", ""));
    }

    private static int parseInt(String s) {
        return Integer.parseInt(s.replace("_", ""));
    }
}

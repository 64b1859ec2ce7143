package io.sluice.tools.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load tool's command line: one workload name, then {@code --name value} flags (and bare
 * {@code --create-topic}). Owns the defaults that depend on the workload and the help text;
 * every other class reads the parsed values from here.
 */
final class Options {
    static final List<String> WORKLOADS = List.of("produce-batch", "produce-ndjson", "produce-single", "produce-ws",
            "consume-ws", "consume-live", "e2e");

    private static final String HELP = """
            usage: java -jar sluice-load.jar <workload> [flags]

            Drives a running Sluice node over its public HTTP/WebSocket API and reports
            records/s, MiB/s and latency percentiles. Progress goes to stderr once a second;
            results go to stdout as 'RESULT <workload>.<metric> <value>' lines. Exit code 1 if
            any request failed, a record went missing or a deadline passed.

            workloads:
              produce-batch    POST /topics/{t}/records, JSON batches of --batch records
              produce-ndjson   POST /topics/{t}/records, application/x-ndjson, --batch lines per body
              produce-single   one record per POST (keep-alive; also works against CeilingServer)
              produce-ws       /ws/produce frames of --batch records, --inflight frames pipelined per socket
              consume-ws       /ws/consume from earliest, --records records, as fast as credit allows
              consume-live     a consumer at 'latest' while produce-batch runs in this tool
              e2e              publish -> WebSocket delivery latency at --rate msg/s, --via http|ws

            flags (default):
              --url URL            http://127.0.0.1:8080
              --topic T            bench
              --records N          1000000 (produce-single 200000, e2e 10000)
              --record-size S      100   stored value bytes, a JSON string, quotes included
              --batch B            1000  records per request/frame (produce-single and e2e: 1)
              --connections C      4     (produce-single 32, produce-ws 1; e2e --via ws always 1)
              --inflight I         1     requests (HTTP pipelining) or frames in flight per connection
              --acks A             1     0, 1 or all
              --credit K           20000 initial consumer credit; replenished as records arrive
              --max-frame-bytes M  1048576 the consumer's max_frame_bytes
              --rate R             1000  e2e publish rate, msg/s
              --via V              http  e2e producer: http (single POST, acks) or ws
              --pacing P           open  e2e schedule: open (each record at its time, whatever the answers)
                                         or sync (at its time, but not before the previous one is
                                         acknowledged: NATS's e2e method; a stall then delays later
                                         sends instead of adding to their latency)
              --latency-log F      -     e2e: write "sequence latency_us wall_clock_ms" per measured record to F
              --warmup W           2000  e2e records sent before measuring (not counted)
              --warmup-rate R      --rate  e2e warm-up rate, msg/s, with the measured pacing (faster: the
                                         JIT compilers of both sides finish sooner)
              --warmup-s S         3     other workloads: seconds of the same load before measuring
                                         (not counted; consume-ws reads the topic once for this long)
              --timeout-s T        600   deadline for the whole workload
              --create-topic             create --topic first (an existing topic is fine)
              --versus URL         -     produce-single: a second server (e.g. CeilingServer) driven by this same
                                         tool in turn with --url: the warm-up and the measured part alternate
                                         between the two in --slices slices, so that both see the same tool JVM
                                         and the same phases of the machine
              --slices K           10    produce-single --versus: measured slices per server, --records/K requests each
              --partitions P       1     partitions of a topic made by --create-topic
              --replication-factor R 1   replicas of each partition of a topic made by --create-topic
              --min-insync M       -     its min.insync.replicas (default: the broker's)
              --topic-configs C    -     more configs of a topic made by --create-topic, NAME=VALUE,...
                                         (e.g. cleanup.policy=compact,segment.bytes=16384)
              --keys K             -     produce-batch and e2e records carry keys k0..k{K-1} in turn
                                         (default: no key); over a small key space, a compacted topic's
                                         cleaner always has work
            """;

    final String workload;
    final URI url;
    final String topic;
    final long records;
    final int recordSize;
    final int batch;
    final int connections;
    final int inflight;
    final String acks;
    final long credit;
    final int maxFrameBytes;
    final int rate;
    final String via;
    final String pacing;
    final String latencyLog;
    final int warmup;
    final int warmupRate;
    final long warmupSeconds;
    final long timeoutSeconds;
    final boolean createTopic;
    final int partitions;
    final int replicationFactor;
    final int minInsync;
    /** Configs of a topic made by --create-topic, besides min.insync.replicas. */
    final Map<String, String> topicConfigs;
    /** Distinct keys records cycle through; 0 for records without a key. */
    final int keys;
    /** produce-single: the server measured in turn with {@link #url}, or null. */
    final URI versus;
    final int slices;

    /** Thrown for --help and for bad arguments; the message is what to print. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean help;

        UsageException(String message, boolean help) {
            super(message);
            this.help = help;
        }
    }

    private Options(String workload, Map<String, String> f) throws UsageException {
        this.workload = workload;
        boolean single = workload.equals("produce-single");
        boolean e2e = workload.equals("e2e");
        this.url = URI.create(f.getOrDefault("url", "http://127.0.0.1:8080"));
        if (url.getHost() == null || url.getPort() < 0) {
            throw new UsageException("--url needs a host and a port, e.g. http://127.0.0.1:8080", false);
        }
        this.topic = f.getOrDefault("topic", "bench");
        this.records = number(f, "records", single ? 200_000 : e2e ? 10_000 : 1_000_000, 1);
        this.recordSize = (int) number(f, "record-size", 100, e2e ? 48 : 2);
        this.batch = (int) number(f, "batch", single || e2e ? 1 : 1000, 1);
        this.connections = (int) number(f, "connections", single ? 32 : workload.equals("produce-ws") ? 1 : 4, 1);
        this.inflight = (int) number(f, "inflight", 1, 1);
        this.acks = f.getOrDefault("acks", "1");
        this.credit = number(f, "credit", 20_000, 1);
        this.maxFrameBytes = (int) number(f, "max-frame-bytes", 1 << 20, 1024);
        this.rate = (int) number(f, "rate", 1000, 1);
        this.via = f.getOrDefault("via", "http");
        this.pacing = f.getOrDefault("pacing", "open");
        this.latencyLog = f.get("latency-log");
        this.warmup = (int) number(f, "warmup", 2000, 0);
        this.warmupRate = (int) number(f, "warmup-rate", rate, 1);
        this.warmupSeconds = number(f, "warmup-s", 3, 0);
        this.timeoutSeconds = number(f, "timeout-s", 600, 1);
        this.createTopic = f.containsKey("create-topic");
        this.partitions = (int) number(f, "partitions", 1, 1);
        this.replicationFactor = (int) number(f, "replication-factor", 1, 1);
        this.minInsync = f.containsKey("min-insync") ? (int) number(f, "min-insync", 1, 1) : 0;
        this.topicConfigs = new LinkedHashMap<>();
        for (String kv : f.getOrDefault("topic-configs", "").split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--topic-configs takes NAME=VALUE,..., got '" + kv + "'", false);
            }
            topicConfigs.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        this.keys = f.containsKey("keys") ? (int) number(f, "keys", 1, 1) : 0;
        this.versus = f.containsKey("versus") ? URI.create(f.get("versus")) : null;
        this.slices = (int) number(f, "slices", 10, 1);
        if (versus != null && (!single || versus.getHost() == null || versus.getPort() < 0)) {
            throw new UsageException("--versus is for produce-single and needs a host and a port, e.g. http://127.0.0.1:8090", false);
        }
        if (versus != null && records < slices) {
            throw new UsageException("--records must be at least --slices", false);
        }
        if (!List.of("0", "1", "all").contains(acks)) {
            throw new UsageException("--acks must be 0, 1 or all", false);
        }
        if (!via.equals("http") && !via.equals("ws")) {
            throw new UsageException("--via must be http or ws", false);
        }
        if (!pacing.equals("open") && !pacing.equals("sync")) {
            throw new UsageException("--pacing must be open or sync", false);
        }
    }

    static Options parse(String[] args) throws UsageException {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            throw new UsageException(HELP, true);
        }
        String workload = args[0];
        if (!WORKLOADS.contains(workload)) {
            throw new UsageException("unknown workload '" + workload + "'; one of " + WORKLOADS, false);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'", false);
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (!name.equals("create-topic")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value", false);
                }
                value = args[++i];
            }
            if (!HELP.contains("--" + name + " ") && !HELP.contains("--" + name + "\n")) {
                throw new UsageException("unknown flag --" + name + " (see --help)", false);
            }
            flags.put(name, value == null ? "" : value);
        }
        return new Options(workload, flags);
    }

    private static long number(Map<String, String> flags, String name, long dflt, long min) throws UsageException {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'", false);
        }
        if (n < min) {
            throw new UsageException("--" + name + " must be at least " + min, false);
        }
        return n;
    }

    String host() {
        return url.getHost();
    }

    int port() {
        return url.getPort();
    }

    /** The produce path for --topic, with the acks query. */
    String producePath() {
        return "/topics/" + topic + "/records?acks=" + acks;
    }
}

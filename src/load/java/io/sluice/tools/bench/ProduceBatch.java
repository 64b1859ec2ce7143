package io.sluice.tools.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code produce-batch}: JSON batches ({@code {"records":[...]}}) of {@code --batch} records per
 * POST, keyed over {@code --keys} keys when given.
 */
@Command(name = "produce-batch", description = "POST /topics/{t}/records, JSON batches of --batch records.")
final class ProduceBatch extends WorkloadCommand {
    @Mixin
    Producing load = new Producing();

    @Mixin
    Batching batching;

    @Option(names = "--keys", paramLabel = "K",
            description = "Records carry keys k0..k{K-1} in turn (default: no key); over a small key space, "
                    + "a compacted topic's cleaner always has work.")
    Integer keys;

    @Option(names = "--format", paramLabel = "F",
            description = "json: JSON string values; avro: the Avro JSON content type (application/vnd.kafka.avro.v2+json) "
                    + "with --schema-id; wire: base64 values in Confluent's wire format (the binary content type) with "
                    + "--schema-id. avro and wire values are records of " + SchemaPayloads.AVRO_SCHEMA
                    + ", stored as --record-size bytes (default: ${DEFAULT-VALUE}).")
    String format = "json";

    @Option(names = "--schema-id", paramLabel = "ID",
            description = "The registered id of the schema above, for --format avro and wire.")
    Integer schemaId;

    @Override
    void validate() {
        super.validate();
        load.validate(spec);
        batching.validate(spec);
        if (keys != null) {
            Checks.atLeast(spec, "--keys", keys, 1);
        }
        Checks.oneOf(spec, "--format", format, "json", "avro", "wire");
        if (!format.equals("json")) {
            if (schemaId == null || keys != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--format " + format + " needs --schema-id and takes no --keys");
            }
            Checks.atLeast(spec, "--record-size", load.recordSize, 7);
        }
    }

    @Override
    Bench.Clients clients() {
        return load.clients();
    }

    @Override
    void run(Bench bench, Results results) throws Exception {
        int size = load.recordSize;
        HttpProducer.Bodies bodies = switch (format) {
            case "avro" -> new HttpProducer.Bodies("application/vnd.kafka.avro.v2+json", batching.batch,
                    n -> SchemaPayloads.avroJsonBody(n, size, schemaId));
            case "wire" -> new HttpProducer.Bodies("application/vnd.kafka.binary.v2+json", batching.batch,
                    n -> SchemaPayloads.wireBinaryBody(n, size, schemaId));
            default -> new HttpProducer.Bodies("application/json", batching.batch,
                    n -> keys != null ? Payloads.keyedBatchBody(n, size, keys) : Payloads.batchBody(n, size));
        };
        HttpProducer.run(bench, load, bodies, results);
    }
}

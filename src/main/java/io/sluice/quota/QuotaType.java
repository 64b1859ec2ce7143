package io.sluice.quota;

/**
 * The client quotas a node enforces, by their names in Kafka's quota configs ({@code
 * producer_byte_rate}, {@code consumer_byte_rate}) and, for requests, Sluice's {@code request_rate}:
 * requests per second rather than Kafka's {@code request_percentage} (a share of the I/O threads'
 * time), since an HTTP request's work is spread over event loops and other nodes and has no thread
 * time of its own to measure, while a request count is what HTTP clients plan with.
 */
public enum QuotaType {
    PRODUCE("producer_byte_rate", "quota.producer.byte.rate"),
    FETCH("consumer_byte_rate", "quota.consumer.byte.rate"),
    REQUEST("request_rate", "quota.request.rate");

    private final String key;
    private final String setting;

    QuotaType(String key, String setting) {
        this.key = key;
        this.setting = setting;
    }

    /** Its name in {@code quota.overrides} and in metric tags. */
    public String key() {
        return key;
    }

    /** The broker setting of its default. */
    public String setting() {
        return setting;
    }

    public static QuotaType ofKey(String key) {
        for (QuotaType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown quota '" + key + "'; expected producer_byte_rate, consumer_byte_rate or request_rate");
    }
}

package io.sluice.bus;

/** A partition of a topic; {@code toString} gives Kafka's {@code topic-partition} form. */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}

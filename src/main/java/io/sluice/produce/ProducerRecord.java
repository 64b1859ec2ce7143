package io.sluice.produce;

import io.sluice.record.Header;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordCursor;

import java.util.Arrays;
import java.util.List;

/**
 * One record as a producer sent it, before the broker assigns offset, partition or timestamp: what
 * every interface hands to {@link ProduceService}, whatever its wire format (the JSON parsers of
 * {@code api.json} make them from request bodies, the group coordinator from offset commits).
 *
 * <p>Key and value are ranges of byte arrays rather than arrays of their own: in the json format
 * they are slices of the request body (its raw JSON text), so a record reaches
 * {@link RecordBatchBuilder} without being copied. A record therefore keeps its input array alive
 * and must not outlive a caller that reuses that array. A length of -1 means null.
 *
 * <p>Immutable as far as this class goes; the arrays it points into belong to the caller.
 */
public final class ProducerRecord {
    /** {@link #timestamp()}, {@link #partition()}, {@link #producerId()} and {@link #sequence()} when absent. */
    public static final int ABSENT = -1;

    private final byte[] keyArray;
    private final int keyOffset;
    private final int keyLength;
    private final byte[] valueArray;
    private final int valueOffset;
    private final int valueLength;
    private final List<Header> headers;
    private final long timestamp;
    private final int partition;
    private final long producerId;
    private final short producerEpoch;
    private final int sequence;
    private final int attributes;

    /** Key and value are {@code length} bytes of their arrays from {@code offset}; a length of -1 is null. */
    public ProducerRecord(byte[] keyArray, int keyOffset, int keyLength,
                 byte[] valueArray, int valueOffset, int valueLength,
                 List<Header> headers, long timestamp, int partition,
                 long producerId, short producerEpoch, int sequence, int attributes) {
        this.keyArray = keyArray;
        this.keyOffset = keyOffset;
        this.keyLength = keyLength;
        this.valueArray = valueArray;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
        this.headers = headers;
        this.timestamp = timestamp;
        this.partition = partition;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.sequence = sequence;
        this.attributes = attributes;
    }

    /** Array holding the key bytes; null when the key is null. */
    public byte[] keyArray() {
        return keyArray;
    }

    public int keyOffset() {
        return keyOffset;
    }

    /** Key length in bytes, -1 for a null key. */
    public int keyLength() {
        return keyLength;
    }

    /** Array holding the value bytes; null when the value is null. */
    public byte[] valueArray() {
        return valueArray;
    }

    public int valueOffset() {
        return valueOffset;
    }

    /** Value length in bytes, -1 for a null value (a tombstone on a compacted topic). */
    public int valueLength() {
        return valueLength;
    }

    /** The record's headers in order, never null; unmodifiable. */
    public List<Header> headers() {
        return headers;
    }

    /** Epoch milliseconds the producer gave, or -1 to let the broker set it. */
    public long timestamp() {
        return timestamp;
    }

    /** Partition the producer chose, or -1 to let the partitioner choose. */
    public int partition() {
        return partition;
    }

    /** Idempotent producer id, or -1 for none. */
    public long producerId() {
        return producerId;
    }

    /** Producer epoch; 0 when the producer gave none. */
    public short producerEpoch() {
        return producerEpoch;
    }

    /** Producer sequence number, or -1 for none; present exactly when {@link #producerId()} is. */
    public int sequence() {
        return sequence;
    }

    /** Record attributes for the log: {@link RecordCursor#ATTR_KEY_JSON} and {@link RecordCursor#ATTR_VALUE_JSON}. */
    public int attributes() {
        return attributes;
    }

    /** A copy of the key bytes, or null; for partitioners and slow paths. */
    public byte[] keyBytes() {
        return keyLength < 0 ? null : Arrays.copyOfRange(keyArray, keyOffset, keyOffset + keyLength);
    }

    /** A copy of the value bytes, or null; for schema validation and slow paths. */
    public byte[] valueBytes() {
        return valueLength < 0 ? null : Arrays.copyOfRange(valueArray, valueOffset, valueOffset + valueLength);
    }

    /**
     * The same record stamped with an idempotent producer identity; the HTTP layer uses it for ids
     * it derives from an {@code Idempotency-Key} header.
     */
    public ProducerRecord withProducer(long producerId, short producerEpoch, int sequence) {
        return new ProducerRecord(keyArray, keyOffset, keyLength, valueArray, valueOffset, valueLength,
                headers, timestamp, partition, producerId, producerEpoch, sequence, attributes);
    }

    /**
     * Appends this record to {@code builder} without copying key or value first.
     *
     * @param brokerTimestamp the timestamp to store when the producer gave none
     */
    public void appendTo(RecordBatchBuilder builder, long brokerTimestamp) {
        builder.append(attributes, timestamp >= 0 ? timestamp : brokerTimestamp,
                keyArray, keyOffset, keyLength, valueArray, valueOffset, valueLength, headers);
    }

    /**
     * Upper bound of the bytes this record adds to a batch, so that callers can size buffers and
     * cut batches before building them.
     */
    public int estimatedSize() {
        int headerBytes = 0;
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            // A UTF-16 char never takes more than 3 UTF-8 bytes; 5 + 5 are the two varint lengths.
            headerBytes += 10 + 3 * h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return RecordBatchBuilder.estimateRecordSize(keyLength, valueLength, headerBytes);
    }

    @Override
    public String toString() {
        return "ProducerRecord{keyLength=" + keyLength + ", valueLength=" + valueLength
                + ", headers=" + headers + ", timestamp=" + timestamp + ", partition=" + partition
                + ", producerId=" + producerId + ", producerEpoch=" + producerEpoch
                + ", sequence=" + sequence + ", attributes=" + attributes + '}';
    }
}

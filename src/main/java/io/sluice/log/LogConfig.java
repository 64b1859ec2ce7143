package io.sluice.log;

/**
 * The settings one log runs with, named after Kafka's topic configs ({@code segment.bytes},
 * {@code retention.ms}, ...). Immutable; a changed topic config produces a new instance that the
 * log picks up with {@link LogWriter#updateConfig}. Parsing and validating user input is the config
 * package's job; this class only guards its own invariants.
 */
public final class LogConfig {
    public static final LogConfig DEFAULT = builder().build();

    /** {@code segment.bytes}: roll a new segment once the active one would exceed this. */
    public final int segmentBytes;
    /** {@code segment.ms}: roll once the active segment's first batch is this old. */
    public final long segmentMs;
    /** {@code index.interval.bytes}: log bytes between two offset-index entries. */
    public final int indexIntervalBytes;
    /** {@code retention.ms}: delete segments whose newest record is older; -1 keeps forever. */
    public final long retentionMs;
    /** {@code retention.bytes}: delete the oldest segments while the log is larger; -1 for none. */
    public final long retentionBytes;
    /** {@code cleanup.policy} contains {@code delete}. */
    public final boolean delete;
    /** {@code cleanup.policy} contains {@code compact}. */
    public final boolean compact;
    /** {@code delete.retention.ms}: how long compaction keeps tombstones. */
    public final long deleteRetentionMs;
    /** {@code min.compaction.lag.ms}: records younger than this are never compacted. */
    public final long minCompactionLagMs;
    /** {@code min.cleanable.dirty.ratio}: compact once this share of the log is uncleaned. */
    public final double minCleanableDirtyRatio;
    /** {@code max.message.bytes}: the largest batch accepted. */
    public final int maxMessageBytes;
    /** {@code flush.messages}: fsync after this many records (1 = every append). */
    public final long flushMessages;
    /** {@code flush.ms}: fsync when this long has passed since the last one. */
    public final long flushMs;
    /** {@code message.timestamp.type}: true for LogAppendTime, false for CreateTime. */
    public final boolean logAppendTime;
    /** {@code producer.id.expiration.ms}: forget idempotent producers idle this long. */
    public final long producerIdExpirationMs;
    /** {@code sluice.max.idempotent.producers}: producers remembered; the longest idle go first. */
    public final int maxProducerIds;

    private LogConfig(Builder b) {
        if (b.segmentBytes < RecordSizes.MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment.bytes must be at least " + RecordSizes.MIN_SEGMENT_BYTES);
        }
        if (b.segmentMs < 1 || b.indexIntervalBytes < 0 || b.deleteRetentionMs < 0 || b.minCompactionLagMs < 0
                || b.flushMessages < 1 || b.flushMs < 0 || b.maxMessageBytes < RecordSizes.MIN_MESSAGE_BYTES
                || b.producerIdExpirationMs < 1 || b.maxProducerIds < 1) {
            throw new IllegalArgumentException("log config out of range");
        }
        if (b.minCleanableDirtyRatio < 0 || b.minCleanableDirtyRatio > 1) {
            throw new IllegalArgumentException("min.cleanable.dirty.ratio must be within [0, 1]");
        }
        if (!b.delete && !b.compact) {
            throw new IllegalArgumentException("cleanup.policy needs delete, compact or both");
        }
        segmentBytes = b.segmentBytes;
        segmentMs = b.segmentMs;
        indexIntervalBytes = b.indexIntervalBytes;
        retentionMs = b.retentionMs;
        retentionBytes = b.retentionBytes;
        delete = b.delete;
        compact = b.compact;
        deleteRetentionMs = b.deleteRetentionMs;
        minCompactionLagMs = b.minCompactionLagMs;
        minCleanableDirtyRatio = b.minCleanableDirtyRatio;
        maxMessageBytes = b.maxMessageBytes;
        flushMessages = b.flushMessages;
        flushMs = b.flushMs;
        logAppendTime = b.logAppendTime;
        producerIdExpirationMs = b.producerIdExpirationMs;
        maxProducerIds = b.maxProducerIds;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.segmentBytes = segmentBytes;
        b.segmentMs = segmentMs;
        b.indexIntervalBytes = indexIntervalBytes;
        b.retentionMs = retentionMs;
        b.retentionBytes = retentionBytes;
        b.delete = delete;
        b.compact = compact;
        b.deleteRetentionMs = deleteRetentionMs;
        b.minCompactionLagMs = minCompactionLagMs;
        b.minCleanableDirtyRatio = minCleanableDirtyRatio;
        b.maxMessageBytes = maxMessageBytes;
        b.flushMessages = flushMessages;
        b.flushMs = flushMs;
        b.logAppendTime = logAppendTime;
        b.producerIdExpirationMs = producerIdExpirationMs;
        b.maxProducerIds = maxProducerIds;
        return b;
    }

    /** True when every append must reach the disk before it is acknowledged. */
    public boolean flushEveryAppend() {
        return flushMessages == 1;
    }

    /** Mutable builder with Kafka's defaults. */
    public static final class Builder {
        private int segmentBytes = 1 << 30;
        private long segmentMs = 7L * 24 * 3600 * 1000;
        private int indexIntervalBytes = 4096;
        private long retentionMs = 7L * 24 * 3600 * 1000;
        private long retentionBytes = -1;
        private boolean delete = true;
        private boolean compact = false;
        private long deleteRetentionMs = 24L * 3600 * 1000;
        private long minCompactionLagMs = 0;
        private double minCleanableDirtyRatio = 0.5;
        private int maxMessageBytes = 1024 * 1024 + 12;
        private long flushMessages = Long.MAX_VALUE;
        private long flushMs = Long.MAX_VALUE;
        private boolean logAppendTime = false;
        private long producerIdExpirationMs = 24L * 3600 * 1000;
        private int maxProducerIds = 100_000;

        public Builder segmentBytes(int v) {
            segmentBytes = v;
            return this;
        }

        public Builder segmentMs(long v) {
            segmentMs = v;
            return this;
        }

        public Builder indexIntervalBytes(int v) {
            indexIntervalBytes = v;
            return this;
        }

        public Builder retentionMs(long v) {
            retentionMs = v;
            return this;
        }

        public Builder retentionBytes(long v) {
            retentionBytes = v;
            return this;
        }

        /** Sets both flags of {@code cleanup.policy}. */
        public Builder cleanupPolicy(boolean delete, boolean compact) {
            this.delete = delete;
            this.compact = compact;
            return this;
        }

        public Builder deleteRetentionMs(long v) {
            deleteRetentionMs = v;
            return this;
        }

        public Builder minCompactionLagMs(long v) {
            minCompactionLagMs = v;
            return this;
        }

        public Builder minCleanableDirtyRatio(double v) {
            minCleanableDirtyRatio = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public Builder flushMessages(long v) {
            flushMessages = v;
            return this;
        }

        public Builder flushMs(long v) {
            flushMs = v;
            return this;
        }

        public Builder logAppendTime(boolean v) {
            logAppendTime = v;
            return this;
        }

        public Builder producerIdExpirationMs(long v) {
            producerIdExpirationMs = v;
            return this;
        }

        public Builder maxProducerIds(int v) {
            maxProducerIds = v;
            return this;
        }

        public LogConfig build() {
            return new LogConfig(this);
        }
    }
}

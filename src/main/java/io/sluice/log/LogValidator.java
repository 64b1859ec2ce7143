package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a batch must satisfy before a {@link Log} writes it, and what the leader stamps on it
 * (Kafka's {@code LogValidator}): the log decides where bytes go, this class decides which bytes
 * may go there. Leader appends are checked batch by batch (a refused batch fails alone); a
 * follower's copy is checked whole before any of it is written. No I/O and no state of its own:
 * the producer state it consults belongs to the log and is read in the writer's turn.
 */
final class LogValidator {
    private LogValidator() {
    }

    /**
     * Why the leader must not write {@code batch}, or what it already wrote for it: a failed
     * result for a batch over {@code max.message.bytes} (or {@code segment.bytes}) or out of its
     * producer's sequence, the original offsets of an idempotent retry, and null for a batch to
     * append.
     */
    static LogAppendInfo refuseOrDeduplicate(RecordBatch batch, LogConfig cfg, ProducerStateManager producers) {
        int size = batch.sizeInBytes();
        if (size > cfg.maxMessageBytes || size > cfg.segmentBytes) {
            return LogAppendInfo.failed(new LogException.RecordTooLarge("batch of " + size
                    + " bytes exceeds max.message.bytes " + Math.min(cfg.maxMessageBytes, cfg.segmentBytes)));
        }
        if (!batch.hasProducerId()) {
            return null;
        }
        ProducerStateManager.BatchMetadata dup;
        try {
            dup = producers.checkAppend(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
        } catch (LogException e) {
            return LogAppendInfo.failed(e);
        }
        if (dup == null) {
            return null;
        }
        return new LogAppendInfo(dup.firstOffset(), dup.lastOffset(), -1, -1, batch.recordCount(), true, null);
    }

    /**
     * Stamps a batch the leader accepted: its base offset, the leader epoch, the append time
     * when the topic uses {@code LogAppendTime}, and the CRC over all of it. The batch's buffer
     * is modified in place.
     */
    static LogAppendInfo assignOffsets(RecordBatch batch, long baseOffset, int leaderEpoch, long now, LogConfig cfg) {
        batch.setBaseOffset(baseOffset);
        batch.setLeaderEpoch(leaderEpoch);
        long appendTime = -1;
        if (cfg.logAppendTime) {
            batch.setLogAppendTime(now);
            appendTime = now;
        }
        batch.updateCrc();
        return new LogAppendInfo(baseOffset, batch.lastOffset(), batch.maxTimestamp(), appendTime,
                batch.recordCount(), false, null);
    }

    /**
     * The batches of a follower's fetch, each checked (CRC, structure, offsets at or past
     * {@code logEndOffset} and growing, within {@code segment.bytes}).
     *
     * @param data whole batches from position to limit
     * @throws LogException.InvalidBatch naming the first batch that fails
     */
    static List<RecordBatch> validateReplicated(ByteBuffer data, long logEndOffset, LogConfig cfg) {
        List<RecordBatch> batches = new ArrayList<>();
        long expected = logEndOffset;
        for (int pos = data.position(); pos < data.limit(); ) {
            int size = RecordBatch.sizeAt(data, pos, data.limit());
            if (size < RecordBatch.HEADER_SIZE || pos + size > data.limit()) {
                throw new LogException.InvalidBatch("incomplete batch at byte " + (pos - data.position()));
            }
            RecordBatch b = RecordBatch.at(data, pos);
            try {
                b.validate(true);
            } catch (CorruptRecordException e) {
                throw new LogException.InvalidBatch(e.getMessage());
            }
            if (b.baseOffset() < expected) {
                throw new LogException.InvalidBatch("batch at offset " + b.baseOffset() + " is below the log end " + expected);
            }
            if (size > cfg.segmentBytes) {
                throw new LogException.InvalidBatch("batch of " + size + " bytes does not fit segment.bytes");
            }
            batches.add(b);
            expected = b.nextOffset();
            pos += size;
        }
        return batches;
    }
}

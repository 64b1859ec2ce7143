package io.sluice.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which segments retention deletes (Kafka's {@code retention.ms} and {@code retention.bytes}
 * rules): the oldest whose newest record is older than {@code retention.ms}, and the oldest that
 * keep the log above {@code retention.bytes}. A rule, not a mechanism: the {@link Log} removes
 * what this returns, in its writer's turn. Pure, apart from reading segment metadata.
 */
final class LogRetention {
    private LogRetention() {
    }

    /**
     * The prefix of {@code segments} (oldest first, the active one last) that retention deletes
     * now. Only whole, non-active segments lying entirely below {@code maxDeletableOffset} (the
     * high watermark, so that unreplicated data stays) qualify, and deletion stops at the first
     * segment that no rule covers, so the log stays contiguous.
     */
    static List<LogSegment> segmentsToDelete(List<LogSegment> segments, long totalBytes, long maxDeletableOffset,
                                             long now, LogConfig cfg) throws IOException {
        long excess = cfg.retentionBytes >= 0 ? totalBytes - cfg.retentionBytes : -1;
        List<LogSegment> doomed = new ArrayList<>();
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment s = segments.get(i);
            if (segments.get(i + 1).baseOffset() > maxDeletableOffset) {
                break;
            }
            boolean expired = cfg.retentionMs >= 0 && s.maxTimestamp() < now - cfg.retentionMs;
            boolean oversize = excess >= s.size();
            if (!expired && !oversize) {
                break;
            }
            excess -= s.size();
            doomed.add(s);
        }
        return doomed;
    }
}

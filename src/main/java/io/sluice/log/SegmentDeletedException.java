package io.sluice.log;

/** A reader reached a segment that retention, truncation or compaction removed meanwhile. */
final class SegmentDeletedException extends RuntimeException {
    SegmentDeletedException(long baseOffset) {
        super("segment " + baseOffset + " was removed", null, false, false);
    }
}

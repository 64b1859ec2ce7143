package io.sluice.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default cap on open segments follows the open-file limit, never below the old fixed cap. */
class OpenSegmentsCapTest {
    @Test
    void threeQuartersOfTheFileLimitAndAtLeastTheMinimum() {
        assertEquals(15_000, OpenSegments.capFor(20_000));
        assertEquals(786_432, OpenSegments.capFor(1L << 20));
        assertEquals(OpenSegments.DEFAULT_MAX_OPEN, OpenSegments.capFor(1024));
        assertEquals(OpenSegments.DEFAULT_MAX_OPEN, OpenSegments.capFor(0));
        assertEquals(Integer.MAX_VALUE, OpenSegments.capFor(Long.MAX_VALUE));
    }
}

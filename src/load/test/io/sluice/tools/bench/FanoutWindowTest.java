package io.sluice.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out's window: what it counts between its opening and its closing, and what fails it. */
class FanoutWindowTest {
    private final AtomicLong a = new AtomicLong();
    private final AtomicLong b = new AtomicLong();
    private final AtomicLong c = new AtomicLong();

    private FanoutWindow window(long topicRecords) {
        return new FanoutWindow(List.<LongSupplier>of(a::get, b::get, c::get), topicRecords);
    }

    @Test
    void countsOnlyWhatArrivedWhileItWasOpen() {
        FanoutWindow w = window(1000);
        a.set(100);
        b.set(50);
        w.open();
        a.addAndGet(300);
        b.addAndGet(10);
        c.addAndGet(200);
        w.close();
        a.addAndGet(500);
        assertEquals(510, w.records());
        assertEquals(10, w.slowest());
        assertEquals(300, w.fastest());
        assertEquals(0, w.caughtUpBeforeOpen());
        Results r = new Results("consume-fanout");
        w.report(r, 100);
        assertFalse(r.failed());
        assertEquals("510", r.get("window_records"));
    }

    @Test
    void aConsumerThatHadReadTheWholeTopicBeforeItOpenedFailsTheRun() {
        FanoutWindow w = window(1000);
        a.set(1000);
        b.set(999);
        w.open();
        b.incrementAndGet();
        w.close();
        assertEquals(1, w.caughtUpBeforeOpen());
        Results r = new Results("consume-fanout");
        w.report(r, 100);
        assertTrue(r.failed(), "its rate would be the topic's length, not the node's");
        assertEquals("1", r.get("caught_up_before_window"));
    }
}

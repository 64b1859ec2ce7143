package io.sluice.schema;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Confluent's wire format: the header's layout, ids read from arrays and buffers, payload views. */
class WireFormatTest {

    @Test
    void encodeWritesMagicBigEndianIdAndPayload() {
        assertArrayEquals(new byte[]{0, 0x01, 0x02, 0x03, 0x04, 9, 8}, WireFormat.encode(0x01020304, new byte[]{9, 8}));
        assertArrayEquals(new byte[]{0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, WireFormat.encode(-1, new byte[0]));
    }

    @Test
    void idsAreReadAtAnOffsetOfAnArrayAndAtAPositionOfABuffer() {
        byte[] framed = new byte[]{7, 7, 0, 0, 0, 1, 0, 42, 7};
        assertEquals(256, WireFormat.schemaId(framed, 2, 6));
        ByteBuffer buf = ByteBuffer.wrap(framed);
        assertEquals(256, WireFormat.schemaId(buf, 2, 6));
        assertEquals(256, WireFormat.schemaId(buf.position(2)));
        assertEquals(2, buf.position());
        assertEquals(42, WireFormat.payload(framed, 2, 6).get());
        ByteBuffer view = WireFormat.payload(buf, 2, 6);
        assertEquals(1, view.remaining());
        assertEquals(42, view.get(0));
    }

    @Test
    void bytesWithoutTheMagicByteOrTooShortHaveNoId() {
        assertEquals(WireFormat.NONE, WireFormat.schemaId(new byte[]{1, 0, 0, 0, 1}, 0, 5));
        assertEquals(WireFormat.NONE, WireFormat.schemaId(new byte[]{0, 0, 0, 1}, 0, 4));
        assertEquals(WireFormat.NONE, WireFormat.schemaId(new byte[]{0, 0, 0, 0, 1}, 0, -1));
        assertEquals(WireFormat.NONE, WireFormat.schemaId(ByteBuffer.wrap(new byte[]{'{', 0, 0, 0, 1}), 0, 5));
        assertEquals(WireFormat.NONE, WireFormat.schemaId(ByteBuffer.wrap(new byte[]{0, 0}), 0, 2));
        // An empty payload is still the wire format: its schema decides whether it decodes.
        assertEquals(5, WireFormat.schemaId(new byte[]{0, 0, 0, 0, 5}, 0, 5));
    }
}

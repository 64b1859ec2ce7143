package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import io.sluice.record.RecordCursor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The produce body most producers send, {@code {"records":[{"key":..,"value":..}, ...]}}, read
 * in one pass over the bytes without a Jackson parser: for a single-record POST, creating the
 * parser, its contexts and its symbol table child cost as much as the rest of the parse.
 *
 * <p>It reads only a strict subset and gives up (returns null, having built nothing that
 * matters) on anything else, leaving the body to {@link ProduceParser}'s Jackson path, which
 * accepts everything valid and words every error. The subset, in the json and text formats:
 * members {@code key}, {@code value}, {@code partition} and {@code timestamp}, each at most once;
 * strings of printable ASCII without escapes; in the json format also numbers, {@code true} and
 * {@code false}; {@code null} anywhere; integers in their plain form for partition and timestamp;
 * JSON whitespace. What it returns is what the Jackson path returns for the same body
 * ({@code SimpleBatchParserTest} compares the two over generated bodies).
 */
final class SimpleBatchParser {
    private static final byte[] RECORDS = {'"', 'r', 'e', 'c', 'o', 'r', 'd', 's', '"'};
    /** The record members this subset reads, as bits of a "seen" mask. */
    private static final int KEY = 1;
    private static final int VALUE = 2;
    private static final int PARTITION = 4;
    private static final int TIMESTAMP = 8;
    /** {@link #integerOrNull}: not an integer this subset reads. */
    private static final long BAD = Long.MIN_VALUE;

    private final byte[] b;
    private final int end;
    private final RecordFormat format;
    private int pos;
    /** Set by {@link #bytesValue()}: the key or value bytes, {@code b[sliceStart, sliceStart + sliceLength)}; -1 for null. */
    private int sliceStart;
    private int sliceLength;

    private SimpleBatchParser(byte[] b, int offset, int length, RecordFormat format) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
        this.format = format;
    }

    /** The records of {@code body}, or null when it is not in the subset (or not valid). */
    static List<ProducerRecord> tryParse(byte[] body, int offset, int length, RecordFormat format) {
        if (format == RecordFormat.BINARY || format.typed()) {
            return null;
        }
        return new SimpleBatchParser(body, offset, length, format).batch();
    }

    private List<ProducerRecord> batch() {
        if (!skip('{') || !literal(RECORDS) || !skip(':') || !skip('[')) {
            return null;
        }
        List<ProducerRecord> records = null;
        ProducerRecord first = null;
        do {
            if (!skip('{')) {
                return null;
            }
            ProducerRecord r = record();
            if (r == null) {
                return null;
            }
            if (first == null) {
                first = r;
            } else {
                if (records == null) {
                    records = new ArrayList<>();
                    records.add(first);
                }
                records.add(r);
            }
        } while (skip(','));
        if (!skip(']') || !skip('}')) {
            return null;
        }
        whitespace();
        if (pos != end) {
            return null;
        }
        return records == null ? List.of(first) : Collections.unmodifiableList(records);
    }

    /** The members of a record object whose '{' was read, through its '}'. */
    private ProducerRecord record() {
        int keyStart = 0;
        int keyLength = -1;
        int valueStart = 0;
        int valueLength = -1;
        long timestamp = ProducerRecord.ABSENT;
        long partition = ProducerRecord.ABSENT;
        int seen = 0;
        boolean more = !skip('}');
        while (more) {
            whitespace();
            int field = fieldName();
            if (field == 0 || (seen & field) != 0 || !skip(':')) {
                return null;
            }
            seen |= field;
            whitespace();
            if (field == KEY || field == VALUE) {
                if (!bytesValue()) {
                    return null;
                }
                if (field == KEY) {
                    keyStart = sliceStart;
                    keyLength = sliceLength;
                } else {
                    valueStart = sliceStart;
                    valueLength = sliceLength;
                }
            } else {
                long v = integerOrNull(field == PARTITION ? Integer.MAX_VALUE : Long.MAX_VALUE);
                if (v == BAD) {
                    return null;
                }
                if (field == PARTITION) {
                    partition = v;
                } else {
                    timestamp = v;
                }
            }
            if (skip('}')) {
                more = false;
            } else if (!skip(',')) {
                return null;
            }
        }
        int attributes = format == RecordFormat.JSON
                ? (keyLength >= 0 ? RecordCursor.ATTR_KEY_JSON : 0) | (valueLength >= 0 ? RecordCursor.ATTR_VALUE_JSON : 0)
                : 0;
        return new ProducerRecord(keyLength >= 0 ? b : null, keyStart, keyLength, valueLength >= 0 ? b : null, valueStart,
                valueLength, List.of(), timestamp, (int) partition, ProducerRecord.ABSENT, (short) 0, ProducerRecord.ABSENT,
                attributes);
    }

    /** A quoted member name this subset knows, as its bit; 0 for any other (or none). */
    private int fieldName() {
        if (pos >= end || b[pos] != '"') {
            return 0;
        }
        int start = pos + 1;
        int close = start;
        while (close < end && b[close] != '"') {
            if (b[close] == '\\' || b[close] < 0x20 || b[close] > 0x7e) {
                return 0;
            }
            close++;
        }
        if (close >= end) {
            return 0;
        }
        pos = close + 1;
        return switch (close - start) {
            case 3 -> is(start, "key") ? KEY : 0;
            case 5 -> is(start, "value") ? VALUE : 0;
            case 9 -> is(start, "partition") ? PARTITION : is(start, "timestamp") ? TIMESTAMP : 0;
            default -> 0;
        };
    }

    private boolean is(int at, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (b[at + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A key or value: its bytes in the record's format (the raw JSON text, or a string's characters). */
    private boolean bytesValue() {
        if (pos >= end) {
            return false;
        }
        int start = pos;
        byte c = b[pos];
        if (c == 'n') {
            if (!word("null")) {
                return false;
            }
            sliceStart = 0;
            sliceLength = -1;
            return true;
        }
        if (c == '"') {
            int close = pos + 1;
            while (close < end && b[close] != '"') {
                if (b[close] == '\\' || b[close] < 0x20 || b[close] > 0x7e) {
                    return false;
                }
                close++;
            }
            if (close >= end) {
                return false;
            }
            pos = close + 1;
            boolean text = format == RecordFormat.TEXT;
            sliceStart = text ? start + 1 : start;
            sliceLength = text ? close - start - 1 : pos - start;
            return true;
        }
        if (format != RecordFormat.JSON) {
            return false;
        }
        if (c == 't' ? word("true") : c == 'f' ? word("false") : number()) {
            sliceStart = start;
            sliceLength = pos - start;
            return true;
        }
        return false;
    }

    /** A JSON number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private boolean number() {
        if (pos < end && b[pos] == '-') {
            pos++;
        }
        if (pos >= end || !digit(b[pos])) {
            return false;
        }
        if (b[pos] == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (pos >= end || !digit(b[pos])) {
                return false;
            }
            digits();
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !digit(b[pos])) {
                return false;
            }
            digits();
        }
        return pos >= end || delimiter(b[pos]);
    }

    /** {@code null} (absent), or a plain non-negative integer up to {@code max}; {@link #BAD} otherwise. */
    private long integerOrNull(long max) {
        if (pos < end && b[pos] == 'n') {
            return word("null") ? ProducerRecord.ABSENT : BAD;
        }
        int start = pos;
        if (pos >= end || !digit(b[pos]) || (b[pos] == '0' && pos + 1 < end && digit(b[pos + 1]))) {
            return BAD;
        }
        digits();
        if (pos - start > 18 || (pos < end && !delimiter(b[pos]))) {
            return BAD; // (longer ones may not fit a long; fractions and exponents are refused by the full path)
        }
        long v = 0;
        for (int i = start; i < pos; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v <= max ? v : BAD;
    }

    private void digits() {
        while (pos < end && digit(b[pos])) {
            pos++;
        }
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** What may follow a number or a word in this subset. */
    private static boolean delimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** {@code w} at the position, ending there. */
    private boolean word(String w) {
        if (end - pos < w.length() || !is(pos, w)) {
            return false;
        }
        pos += w.length();
        return pos >= end || delimiter(b[pos]);
    }

    private boolean literal(byte[] expected) {
        whitespace();
        if (end - pos < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[pos + i] != expected[i]) {
                return false;
            }
        }
        pos += expected.length;
        return true;
    }

    /** Skips whitespace, then {@code c} if it is next: whether it was. */
    private boolean skip(char c) {
        whitespace();
        if (pos < end && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void whitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}

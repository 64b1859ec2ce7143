package io.sluice.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parsing, validation and normalization of one value, for each setting type. */
class SettingDefTest {
    private static final SettingDef INT = SettingDef.ofInt("log.segment.bytes", 4096, 1024, "doc");
    private static final SettingDef LONG = SettingDef.ofLong("log.roll.ms", 10, 1, "doc");
    private static final SettingDef NO_LIMIT = SettingDef.ofLongOrNoLimit("log.retention.ms", -1, "doc");
    private static final SettingDef RATIO = SettingDef.ofRatio("ratio", 0.5, "doc");
    private static final SettingDef BOOL = SettingDef.ofBoolean("flag", false, "doc");
    private static final SettingDef STRING = SettingDef.ofString("subject", null, "doc");
    private static final SettingDef ENUM = SettingDef.ofEnum("ts", "CreateTime", List.of("CreateTime", "LogAppendTime"), "doc");
    private static final SettingDef LIST = SettingDef.ofList("policy", List.of("delete"), List.of("delete", "compact"), "doc");

    private static String error(SettingDef def, Object raw, String label) {
        return assertThrows(ConfigException.class, () -> def.parse(raw, label)).getMessage();
    }

    @Test
    void integersComeFromStringsOrJsonNumbers() {
        assertEquals(2048, INT.parse("2048", "x"));
        assertEquals(2048, INT.parse(" 2048 ", "x"));
        assertEquals(2048, INT.parse(2048, "x"));
        assertEquals(2048, INT.parse(2048L, "x"));
        assertEquals(2048, INT.parse(2048.0, "x"), "an integral JSON double is still an integer");
        assertEquals(Long.MAX_VALUE, LONG.parse("9223372036854775807", "x"));
    }

    @Test
    void badIntegersNameTheLabelTheValueAndTheRange() {
        assertEquals("--set log.segment.bytes: expected an integer >= 1024, got 'abc'", error(INT, "abc", "--set log.segment.bytes"));
        assertEquals("x: expected an integer >= 1024, got '1023'", error(INT, 1023, "x"));
        assertEquals("x: expected an integer >= 1024, got '2147483648'", error(INT, "2147483648", "x"));
        assertEquals("x: expected an integer >= 1024, got '2048.5'", error(INT, 2048.5, "x"));
        assertEquals("x: expected an integer >= 1024, got 'true'", error(INT, true, "x"));
        assertEquals("x: expected an integer >= 1024, got null", error(INT, null, "x"));
        assertEquals("x: expected a positive integer, got '0'", error(LONG, "0", "x"));
        assertEquals("x: expected a positive integer, got '9223372036854775808'", error(LONG, "9223372036854775808", "x"));
        assertEquals("x: expected a positive integer, got 'NaN'", error(LONG, Double.NaN, "x"));
    }

    @Test
    void exceptionNamesTheSettingEvenWhenTheLabelIsAVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> INT.parse("x", "SLUICE_LOG_SEGMENT_BYTES"));
        assertEquals("log.segment.bytes", e.name());
        assertEquals("SLUICE_LOG_SEGMENT_BYTES: expected an integer >= 1024, got 'x'", e.getMessage());
    }

    @Test
    void minusOneMeansNoLimitButOtherNegativesAreRejected() {
        assertEquals(-1L, NO_LIMIT.parse("-1", "x"));
        assertEquals(0L, NO_LIMIT.parse(0, "x"));
        assertEquals("x: expected -1 (no limit) or a non-negative integer, got '-2'", error(NO_LIMIT, "-2", "x"));
    }

    @Test
    void ratiosAreNumbersWithinZeroAndOne() {
        assertEquals(0.25, RATIO.parse("0.25", "x"));
        assertEquals(1.0, RATIO.parse(1, "x"));
        assertEquals(0.0, RATIO.parse("0", "x"));
        assertEquals("x: expected a number from 0 to 1, got '1.01'", error(RATIO, "1.01", "x"));
        assertEquals("x: expected a number from 0 to 1, got 'half'", error(RATIO, "half", "x"));
        assertEquals("x: expected a number from 0 to 1, got 'Infinity'", error(RATIO, "Infinity", "x"));
    }

    @Test
    void booleansAreTrueOrFalseInAnyCase() {
        assertEquals(true, BOOL.parse("TRUE", "x"));
        assertEquals(false, BOOL.parse(false, "x"));
        assertEquals("x: expected true or false, got 'yes'", error(BOOL, "yes", "x"));
        assertEquals("x: expected true or false, got '1'", error(BOOL, 1, "x"));
    }

    @Test
    void stringsMustNotBeBlank() {
        assertEquals("clicks-value", STRING.parse(" clicks-value ", "x"));
        assertEquals("x: expected a non-empty string, got ' '", error(STRING, " ", "x"));
        assertEquals("x: expected a non-empty string, got '5'", error(STRING, 5, "x"));
    }

    @Test
    void enumsAreNormalizedToTheirCanonicalSpelling() {
        assertEquals("LogAppendTime", ENUM.parse("logappendtime", "x"));
        assertEquals("x: expected one of CreateTime, LogAppendTime, got 'WallClock'", error(ENUM, "WallClock", "x"));
    }

    @Test
    void listsAreNormalizedToCanonicalOrderWithoutDuplicates() {
        assertEquals(List.of("delete", "compact"), LIST.parse("compact,delete", "x"));
        assertEquals(List.of("delete", "compact"), LIST.parse(" delete , COMPACT,delete", "x"));
        assertEquals(List.of("compact"), LIST.parse(List.of("compact"), "x"));
        assertEquals("delete,compact", LIST.format(LIST.parse("compact,delete", "x")));
        String expected = "expected a comma-separated list of one or more of delete, compact";
        assertEquals("x: " + expected + ", got ''", error(LIST, "", "x"));
        assertEquals("x: " + expected + ", got 'delete,'", error(LIST, "delete,", "x"));
        assertEquals("x: " + expected + ", got 'delete,archive'", error(LIST, "delete,archive", "x"));
        assertEquals("x: " + expected + ", got ''", error(LIST, List.of(), "x"));
    }

    @Test
    void formatReadsBackToTheSameValue() {
        for (SettingDef def : List.of(INT, LONG, NO_LIMIT, RATIO, BOOL, ENUM, LIST)) {
            Object value = def.defaultValue();
            assertEquals(value, def.parse(def.format(value), def.name()), def.name());
        }
    }
}

package io.sluice.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The definition of one setting: its name, value type, default, the values it accepts and a one-line
 * description for the help text. Owns the conversion both ways between what a user writes (a string
 * from a flag, a file or a variable, or a scalar from JSON) and the typed value the broker reads, so
 * every source of configuration validates and normalizes a value the same way. Immutable.
 */
public final class SettingDef {
    /** Value types, with the Java type of the parsed value. */
    public enum Type {
        /** {@link Integer} */
        INT,
        /** {@link Long} */
        LONG,
        /** {@link Double} */
        DOUBLE,
        /** {@link Boolean} */
        BOOLEAN,
        /** {@link String}, non-empty */
        STRING,
        /** {@link String}, non-empty, a secret: never shown in the help, a log line or an error message (Kafka's PASSWORD) */
        PASSWORD,
        /** {@code List<String>} of allowed values, in their canonical order, without duplicates */
        LIST,
        /** {@link String}, one of the allowed values in its canonical spelling */
        ENUM
    }

    /** What is shown in place of a {@link Type#PASSWORD}'s value. */
    static final String HIDDEN = "[hidden]";
    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final String name;
    private final Type type;
    private final Object defaultValue;
    private final String doc;
    private final BigDecimal min;
    private final BigDecimal max;
    private final boolean minusOneMeansNoLimit;
    private final List<String> allowed;
    /** A secret (a password): its value never appears in a log line or a listing. */
    private boolean sensitive;

    private SettingDef(String name, Type type, Object defaultValue, String doc, BigDecimal min, BigDecimal max,
            boolean minusOneMeansNoLimit, List<String> allowed) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.min = min;
        this.max = max;
        this.minusOneMeansNoLimit = minusOneMeansNoLimit;
        this.allowed = List.copyOf(allowed);
    }

    static SettingDef ofInt(String name, int defaultValue, int min, String doc) {
        return new SettingDef(name, Type.INT, defaultValue, doc, BigDecimal.valueOf(min), INT_MAX, false, List.of());
    }

    static SettingDef ofLong(String name, long defaultValue, long min, String doc) {
        return new SettingDef(name, Type.LONG, defaultValue, doc, BigDecimal.valueOf(min), LONG_MAX, false, List.of());
    }

    /** A non-negative long where -1 stands for "no limit" (Kafka's retention settings). */
    static SettingDef ofLongOrNoLimit(String name, long defaultValue, String doc) {
        return new SettingDef(name, Type.LONG, defaultValue, doc, BigDecimal.ZERO, LONG_MAX, true, List.of());
    }

    /** A double within [0, 1]. */
    static SettingDef ofRatio(String name, double defaultValue, String doc) {
        return new SettingDef(name, Type.DOUBLE, defaultValue, doc, BigDecimal.ZERO, BigDecimal.ONE, false, List.of());
    }

    static SettingDef ofBoolean(String name, boolean defaultValue, String doc) {
        return new SettingDef(name, Type.BOOLEAN, defaultValue, doc, null, null, false, List.of());
    }

    /** A non-empty string; {@code defaultValue} may be null for a setting that is unset by default. */
    static SettingDef ofString(String name, String defaultValue, String doc) {
        return new SettingDef(name, Type.STRING, defaultValue, doc, null, null, false, List.of());
    }

    /** A secret such as a keystore's password: unset by default, and never printed (see {@link Type#PASSWORD}). */
    static SettingDef ofPassword(String name, String doc) {
        return new SettingDef(name, Type.PASSWORD, null, doc, null, null, false, List.of());
    }

    static SettingDef ofEnum(String name, String defaultValue, List<String> allowed, String doc) {
        return new SettingDef(name, Type.ENUM, defaultValue, doc, null, null, false, allowed);
    }

    static SettingDef ofList(String name, List<String> defaultValue, List<String> allowed, String doc) {
        return new SettingDef(name, Type.LIST, List.copyOf(defaultValue), doc, null, null, false, allowed);
    }

    /** This setting, marked as a secret whose value is never shown ({@link #shown}). */
    SettingDef sensitive() {
        SettingDef copy = new SettingDef(name, type, defaultValue, doc, min, max, minusOneMeansNoLimit, allowed);
        copy.sensitive = true;
        return copy;
    }

    /** Whether its values are secrets: a {@link Type#PASSWORD}, or a setting marked {@link #sensitive}. */
    public boolean isSensitive() {
        return sensitive || type == Type.PASSWORD;
    }

    /** The same type and constraint under another name: a topic config and the broker default it inherits. */
    SettingDef renamed(String newName, String newDoc) {
        return new SettingDef(newName, type, defaultValue, newDoc, min, max, minusOneMeansNoLimit, allowed);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The typed default, or null for a setting that is unset unless given. */
    public Object defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** What the setting accepts, phrased to follow "expected" in an error message. */
    public String expected() {
        return switch (type) {
            case INT, LONG -> integerRange();
            case DOUBLE -> "a number from " + min.toPlainString() + " to " + max.toPlainString();
            case BOOLEAN -> "true or false";
            case STRING, PASSWORD -> "a non-empty string";
            case ENUM -> "one of " + String.join(", ", allowed);
            case LIST -> "a comma-separated list of one or more of " + String.join(", ", allowed);
        };
    }

    private String integerRange() {
        if (minusOneMeansNoLimit) {
            return "-1 (no limit) or a non-negative integer";
        }
        if (max.compareTo(type == Type.INT ? INT_MAX : LONG_MAX) < 0) {
            return "an integer from " + min + " to " + max;
        }
        if (min.signum() == 0) {
            return "a non-negative integer";
        }
        return min.equals(BigDecimal.ONE) ? "a positive integer" : "an integer >= " + min;
    }

    /**
     * Validates {@code raw} and returns the typed value (see {@link Type}). Numbers are accepted as
     * JSON numbers or as strings; booleans as JSON booleans or "true"/"false"; lists as a
     * comma-separated string or a JSON array.
     *
     * @param label where the value came from, as the user wrote it; the error message starts with it
     * @throws ConfigException naming the label, the value and what is expected
     */
    public Object parse(Object raw, String label) {
        if (raw == null) {
            throw invalid(label, null);
        }
        return switch (type) {
            case INT -> number(raw, label).intValueExact();
            case LONG -> number(raw, label).longValueExact();
            case DOUBLE -> number(raw, label).doubleValue();
            case BOOLEAN -> bool(raw, label);
            case STRING, PASSWORD -> nonEmpty(raw, label);
            case ENUM -> allowedValue(text(raw, label).trim(), raw, label);
            case LIST -> list(raw, label);
        };
    }

    /** The normalized string form of a typed value: what is persisted and what {@link #parse} reads back. */
    public String format(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    /** A typed value as a JSON scalar: lists become their comma-separated form. */
    Object jsonValue(Object value) {
        return value instanceof List<?> ? format(value) : value;
    }

    private BigDecimal number(Object raw, String label) {
        if (!(raw instanceof Number) && !(raw instanceof String)) {
            throw invalid(label, raw);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(label, raw);
        }
        boolean noLimit = minusOneMeansNoLimit && value.compareTo(MINUS_ONE) == 0;
        boolean inRange = value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        // The range check comes first so that stripping zeros never works on an absurd exponent.
        if (!(noLimit || inRange) || (type != Type.DOUBLE && value.stripTrailingZeros().scale() > 0)) {
            throw invalid(label, raw);
        }
        return value;
    }

    private Boolean bool(Object raw, String label) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = text(raw, label).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw invalid(label, raw);
    }

    private String nonEmpty(Object raw, String label) {
        String s = text(raw, label).trim();
        if (s.isEmpty()) {
            throw invalid(label, raw);
        }
        return s;
    }

    private List<String> list(Object raw, String label) {
        List<?> items = raw instanceof List<?> l ? l : List.of(text(raw, label).split(",", -1));
        List<String> given = new ArrayList<>();
        for (Object item : items) {
            given.add(allowedValue(text(item, label).trim(), raw, label));
        }
        // Canonical order, so that "compact,delete" and "delete,compact" persist alike.
        List<String> canonical = allowed.stream().filter(given::contains).toList();
        if (canonical.isEmpty()) {
            throw invalid(label, raw);
        }
        return canonical;
    }

    private String allowedValue(String candidate, Object raw, String label) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(candidate)) {
                return a;
            }
        }
        throw invalid(label, raw);
    }

    private String text(Object raw, String label) {
        if (raw instanceof String s) {
            return s;
        }
        throw invalid(label, raw);
    }

    private ConfigException invalid(String label, Object raw) {
        if (isSensitive()) {
            return ConfigException.invalid(name, label, expected(), HIDDEN);
        }
        return ConfigException.invalid(name, label, expected(), raw instanceof List<?> ? format(raw) : raw);
    }

    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase(Locale.ROOT) + ", "
                + (defaultValue == null ? "no default" : "default " + shown(defaultValue)) + ")";
    }

    /** A value as a person may see it (help, logs, errors): {@link #format}, or {@link #HIDDEN} for a secret. */
    public String shown(Object value) {
        return isSensitive() && value != null ? HIDDEN : format(value);
    }
}

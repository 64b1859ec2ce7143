package io.sluice.security;

import java.util.Locale;

/**
 * How an ACL's resource name matches, as Kafka's: LITERAL is the exact name, or every name when it
 * is {@value #WILDCARD}; PREFIXED is every name that starts with it.
 */
public enum PatternType {
    LITERAL, PREFIXED;

    public static final String WILDCARD = "*";

    /** Whether {@code pattern} of this type covers the resource {@code name}. */
    public boolean matches(String pattern, String name) {
        return switch (this) {
            case LITERAL -> pattern.equals(WILDCARD) || pattern.equals(name);
            case PREFIXED -> name.startsWith(pattern);
        };
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PatternType parse(String text) {
        return Names.parse(PatternType.class, text, "pattern_type");
    }
}

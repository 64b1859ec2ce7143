package io.sluice.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case API names of the ACL model's enums, with a message listing what is allowed. */
final class Names {
    private Names() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining("|"));
            throw new IllegalArgumentException("'" + field + "' must be one of " + allowed);
        }
    }
}

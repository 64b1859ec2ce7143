package io.sluice.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Confluent's compatibility levels: which earlier versions of a subject a new schema is checked
 * against, and in which direction. BACKWARD (the default) lets consumers upgrade first, FORWARD
 * producers, FULL either; the transitive levels check every earlier version instead of the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** @throws IllegalArgumentException for a name Confluent does not define */
    public static CompatibilityLevel fromApi(String name) {
        return CompatibilityLevel.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * The messages that make {@code proposed} unacceptable after {@code previous} (oldest first, the
     * live versions of the subject); empty when it is accepted.
     */
    public List<String> check(ParsedSchema proposed, List<ParsedSchema> previous) {
        List<String> messages = new ArrayList<>();
        if (previous.isEmpty() || this == NONE) {
            return messages;
        }
        List<ParsedSchema> against = transitive ? previous : previous.subList(previous.size() - 1, previous.size());
        for (int i = against.size() - 1; i >= 0; i--) {
            ParsedSchema old = against.get(i);
            if (old.type() != proposed.type()) {
                messages.add("Incompatible because of different schema type: " + old.type() + " to " + proposed.type());
                continue;
            }
            if (backward) {
                for (String m : proposed.readerIncompatibilities(old)) {
                    messages.add("BACKWARD: " + m);
                }
            }
            if (forward) {
                for (String m : old.readerIncompatibilities(proposed)) {
                    messages.add("FORWARD: " + m);
                }
            }
        }
        return messages;
    }
}

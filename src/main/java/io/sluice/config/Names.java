package io.sluice.config;

import java.util.Collection;

/**
 * Phrases "unknown name" errors and, since most unknown names are typos, suggests the closest known
 * name when one is near enough to be a likely intent.
 */
final class Names {
    /** Edits (insert, delete, substitute) beyond which a known name is no longer a plausible intent. */
    static final int MAX_SUGGESTION_DISTANCE = 3;

    private Names() {
    }

    /**
     * {@code "unknown <what> '<name>'"}, followed by {@code " (did you mean '<closest>'?)"} when a
     * known name is within {@link #MAX_SUGGESTION_DISTANCE} edits.
     */
    static String unknown(String what, String name, Collection<String> known) {
        String closest = closest(name, known);
        return "unknown " + what + " '" + name + "'" + (closest == null ? "" : " (did you mean '" + closest + "'?)");
    }

    /** The known name fewest edits away, the first one on a tie, or null if none is close enough. */
    static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

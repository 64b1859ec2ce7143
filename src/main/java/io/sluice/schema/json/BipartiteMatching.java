package io.sluice.schema.json;

import java.util.Arrays;

/**
 * A maximum matching between the branches of an old and a new oneOf/anyOf/allOf, where an edge means
 * "this old branch is readable as that new one" (Kuhn's augmenting paths; branch lists are short).
 */
final class BipartiteMatching {

    interface Edges {
        boolean connected(int left, int right);
    }

    private BipartiteMatching() {
    }

    /** For each left vertex the right one it is matched to, or -1. */
    static int[] maximum(int left, int right, Edges edges) {
        int[] rightMatch = new int[right];
        Arrays.fill(rightMatch, -1);
        for (int l = 0; l < left; l++) {
            augment(l, edges, rightMatch, new boolean[right]);
        }
        int[] leftMatch = new int[left];
        Arrays.fill(leftMatch, -1);
        for (int r = 0; r < right; r++) {
            if (rightMatch[r] >= 0) {
                leftMatch[rightMatch[r]] = r;
            }
        }
        return leftMatch;
    }

    private static boolean augment(int l, Edges edges, int[] rightMatch, boolean[] seen) {
        for (int r = 0; r < rightMatch.length; r++) {
            if (!seen[r] && edges.connected(l, r)) {
                seen[r] = true;
                if (rightMatch[r] < 0 || augment(rightMatch[r], edges, rightMatch, seen)) {
                    rightMatch[r] = l;
                    return true;
                }
            }
        }
        return false;
    }
}

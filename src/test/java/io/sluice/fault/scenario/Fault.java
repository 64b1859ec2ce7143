package io.sluice.fault.scenario;

import java.util.Set;

/**
 * One kind of fault the nemesis can do: applied, held for the step's duration, then healed.
 * {@link #apply} says which nodes stay on the side that should keep (or resume) taking writes,
 * for the "partition → majority accepts writes again" figure.
 */
public interface Fault {
    String name();

    /** Whether the cluster must run its nodes under controllable wall clocks for this fault. */
    default boolean needsWallClocks() {
        return false;
    }

    /** Does the fault; returns what was done and the majority side. */
    Applied apply(FaultContext ctx) throws Exception;

    /** Undoes it (heal, SIGCONT, restart, clock reset). */
    void heal(FaultContext ctx, Applied applied) throws Exception;

    /** Whether the fault needs a data-dir provider that can cut the power ({@code DataDirProvider#supportsPowerCut}). */
    default boolean needsPowerCut() {
        return false;
    }

    /**
     * What an application did: a description, the nodes it targeted, the side expected to take
     * writes, and whatever the fault keeps from {@link #apply} for its {@link #heal} (or null).
     */
    record Applied(String description, Set<Integer> targets, Set<Integer> majority, Object state) {
        public Applied(String description, Set<Integer> targets, Set<Integer> majority) {
            this(description, targets, majority, null);
        }
    }
}

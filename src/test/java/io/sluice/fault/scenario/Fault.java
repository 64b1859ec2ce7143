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

    /** What an application did: a description, the nodes it targeted, the side expected to take writes. */
    record Applied(String description, Set<Integer> targets, Set<Integer> majority) {
    }
}

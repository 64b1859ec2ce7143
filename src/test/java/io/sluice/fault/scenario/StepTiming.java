package io.sluice.fault.scenario;

/**
 * What one step measured.
 *
 * @param majorityWritesMs from the fault being in place to the first acknowledged write, invoked after it
 *                         through a node of the majority side and still in the final log, of every
 *                         partition (the slowest partition); -1 when some partition took none before the heal
 * @param healToIsrMs from the heal to every node reporting a full ISR for every partition; -1 when not reached
 */
public record StepTiming(String fault, String description, long majorityWritesMs, long healToIsrMs) {
}

package io.sluice.fault.scenario;

/**
 * What one step measured.
 *
 * @param majorityWritesMs from applying the fault to the first acknowledged write, invoked after it, of
 *                         every partition through a node of the majority side (the slowest partition);
 *                         -1 when some partition took none before the heal
 * @param healToIsrMs from the heal to every node reporting a full ISR for every partition; -1 when not reached
 */
public record StepTiming(String fault, String description, long majorityWritesMs, long healToIsrMs) {
}

package io.sluice.fault.scenario;

import java.time.Duration;

/** One step of a schedule: a fault held for {@code hold}, healed, then {@code quiet} with no fault. */
public record Step(Fault fault, Duration hold, Duration quiet) {
    @Override
    public String toString() {
        return fault.name() + " " + hold.toSeconds() + "s (+" + quiet.toSeconds() + "s quiet)";
    }
}

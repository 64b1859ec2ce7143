package io.sluice.tools.bench;

/** One load pattern of the tool: runs against {@link Bench}'s target and puts its figures in {@link Results}. */
interface Workload {
    void run(Bench bench, Results results) throws Exception;
}

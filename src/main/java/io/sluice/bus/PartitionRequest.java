package io.sluice.bus;

/**
 * A request to one partition replica (produce, fetch, offsets, leader epoch): it names its
 * partition itself, so that a node's one door for replica requests can route it to the replica.
 */
public interface PartitionRequest {
    TopicPartition tp();
}

package io.signalbox.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The servers a run drives: one node, or several that share their sessions through a Redis.
 *
 * @param nodes    the nodes, at least one; the fan-out's sender joins the first
 * @param redis    the Redis the nodes share, or null when they are one node without it
 * @param redisPid the Redis server's process id, for its CPU and memory; -1 when unknown or none
 */
record Cluster(List<Target> nodes, URI redis, long redisPid) {

    Cluster {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) throw new IllegalArgumentException("a run needs at least one server");
        if (redis == null && nodes.size() > 1) throw new IllegalArgumentException("several nodes need a Redis to share");
    }

    /** A single server, as every workload but fanout drives. */
    static Cluster of(Target server) {
        return new Cluster(List.of(Objects.requireNonNull(server, "server")), null, -1);
    }

    Target first() {
        return nodes.getFirst();
    }

    int size() {
        return nodes.size();
    }

    List<Long> nodePids() {
        List<Long> pids = new ArrayList<>(nodes.size());
        for (Target node : nodes) pids.add(node.serverPid());
        return pids;
    }

    CpuSnapshot cpuSnapshot() {
        return CpuSnapshot.take(nodePids(), redisPid);
    }
}

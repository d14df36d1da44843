package io.signalbox.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * CPU counters at one instant: of each server node, of the Redis between them (when there is one), of
 * the generator (this process), of the whole machine. Two snapshots make a {@link CpuUsage}.
 *
 * @param nanoTime       when it was taken, {@link System#nanoTime()}
 * @param epochMillis    the same instant, {@link System#currentTimeMillis()}: to compare with the server's logs
 * @param nodeTicks      each server node's CPU ticks, in the order of the nodes; -1 for one unknown
 * @param redisTicks     the Redis server's CPU ticks; -1 when unknown or there is none
 * @param generatorTicks this process's CPU ticks
 * @param machineTicks   the machine's busy ticks, all CPUs
 */
record CpuSnapshot(long nanoTime, long epochMillis, List<Long> nodeTicks, long redisTicks, long generatorTicks, long machineTicks) {

    CpuSnapshot {
        nodeTicks = List.copyOf(nodeTicks);
    }

    /** One server, no Redis. */
    static CpuSnapshot take(long serverPid) {
        return take(List.of(serverPid), -1);
    }

    /** Several nodes and the Redis they share; a pid of -1 is read as unknown. */
    static CpuSnapshot take(List<Long> nodePids, long redisPid) {
        List<Long> nodes = new ArrayList<>(nodePids.size());
        for (long pid : nodePids) nodes.add(ProcStats.cpuTicks(pid));
        return new CpuSnapshot(System.nanoTime(), System.currentTimeMillis(), nodes, ProcStats.cpuTicks(redisPid),
                ProcStats.cpuTicks(ProcessHandle.current().pid()), ProcStats.machineBusyTicks());
    }
}

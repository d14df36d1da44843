package io.signalbox.bench;

/**
 * CPU counters at one instant: of the server, of the generator (this process), of the whole machine.
 * Two snapshots make a {@link CpuUsage}.
 *
 * @param nanoTime      when it was taken, {@link System#nanoTime()}
 * @param serverTicks   the server process's CPU ticks, -1 when unknown
 * @param generatorTicks this process's CPU ticks
 * @param machineTicks  the machine's busy ticks, all CPUs
 */
record CpuSnapshot(long nanoTime, long serverTicks, long generatorTicks, long machineTicks) {

    static CpuSnapshot take(long serverPid) {
        return new CpuSnapshot(System.nanoTime(), ProcStats.cpuTicks(serverPid),
                ProcStats.cpuTicks(ProcessHandle.current().pid()), ProcStats.machineBusyTicks());
    }
}

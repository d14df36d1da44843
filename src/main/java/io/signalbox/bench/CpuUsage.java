package io.signalbox.bench;

/**
 * CPU spent between two snapshots, in percent of one core (100 = one core busy the whole time).
 * {@code otherPercent} is what the machine spent on anything but the server and the generator: other
 * people's work on a shared machine, which makes a run noisy when it is high.
 *
 * @param seconds          wall time between the snapshots
 * @param serverCpuSeconds CPU seconds the server spent, NaN when unknown
 */
record CpuUsage(double seconds, double serverCpuSeconds, double serverPercent, double generatorPercent,
                double otherPercent) {

    static CpuUsage between(CpuSnapshot a, CpuSnapshot b) {
        double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
        double tick = 1.0 / ProcStats.TICKS_PER_SECOND;
        double server = a.serverTicks() < 0 || b.serverTicks() < 0 ? Double.NaN : (b.serverTicks() - a.serverTicks()) * tick;
        double generator = (b.generatorTicks() - a.generatorTicks()) * tick;
        double machine = (b.machineTicks() - a.machineTicks()) * tick;
        double other = machine - generator - (Double.isNaN(server) ? 0 : server);
        if (seconds <= 0) return new CpuUsage(0, server, Double.NaN, Double.NaN, Double.NaN);
        return new CpuUsage(seconds, server, 100 * server / seconds, 100 * generator / seconds,
                Math.max(0, 100 * other / seconds));
    }

    /** Server CPU microseconds per unit of work (delivery, message), NaN when unknown. */
    double serverMicrosPer(long units) {
        return units <= 0 ? Double.NaN : serverCpuSeconds * 1e6 / units;
    }
}

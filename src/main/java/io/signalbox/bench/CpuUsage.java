package io.signalbox.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * CPU spent between two snapshots, in percent of one core (100 = one core busy the whole time).
 * {@code otherPercent} is what the machine spent on anything but the server's nodes, their Redis and
 * the generator: other people's work on a shared machine, which makes a run noisy when it is high.
 *
 * @param seconds          wall time between the snapshots
 * @param nodeCpuSeconds   CPU seconds each server node spent, NaN for one unknown
 * @param redisCpuSeconds  CPU seconds the Redis server spent, NaN when unknown or there is none
 * @param generatorPercent this process's CPU
 * @param otherPercent     the rest of the machine's
 */
record CpuUsage(double seconds, List<Double> nodeCpuSeconds, double redisCpuSeconds, double generatorPercent,
                double otherPercent) {

    CpuUsage {
        nodeCpuSeconds = List.copyOf(nodeCpuSeconds);
    }

    static CpuUsage between(CpuSnapshot a, CpuSnapshot b) {
        double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
        List<Double> nodes = new ArrayList<>(a.nodeTicks().size());
        double known = 0;
        for (int i = 0; i < a.nodeTicks().size(); i++) {
            double node = spent(a.nodeTicks().get(i), b.nodeTicks().get(i));
            nodes.add(node);
            if (!Double.isNaN(node)) known += node;
        }
        double redis = spent(a.redisTicks(), b.redisTicks());
        if (!Double.isNaN(redis)) known += redis;
        double generator = spent(a.generatorTicks(), b.generatorTicks());
        double machine = spent(a.machineTicks(), b.machineTicks());
        if (seconds <= 0) return new CpuUsage(0, nodes, redis, Double.NaN, Double.NaN);
        return new CpuUsage(seconds, nodes, redis, 100 * generator / seconds,
                Math.max(0, 100 * (machine - generator - known) / seconds));
    }

    /** CPU seconds between two tick counts, NaN when either is unknown. */
    private static double spent(long before, long after) {
        return before < 0 || after < 0 ? Double.NaN : (after - before) / (double) ProcStats.TICKS_PER_SECOND;
    }

    /** CPU seconds of every node together, NaN when any is unknown. */
    double serverCpuSeconds() {
        double sum = 0;
        for (double node : nodeCpuSeconds) sum += node;
        return nodeCpuSeconds.isEmpty() ? Double.NaN : sum;
    }

    /** Every node together, in percent of one core. */
    double serverPercent() {
        return percent(serverCpuSeconds());
    }

    double nodePercent(int node) {
        return percent(nodeCpuSeconds.get(node));
    }

    double redisPercent() {
        return percent(redisCpuSeconds);
    }

    /** Server CPU microseconds, every node together, per unit of work (delivery, message), NaN when unknown. */
    double serverMicrosPer(long units) {
        return micros(serverCpuSeconds(), units);
    }

    double nodeMicrosPer(int node, long units) {
        return micros(nodeCpuSeconds.get(node), units);
    }

    double redisMicrosPer(long units) {
        return micros(redisCpuSeconds, units);
    }

    private double percent(double cpuSeconds) {
        return seconds <= 0 ? Double.NaN : 100 * cpuSeconds / seconds;
    }

    private static double micros(double cpuSeconds, long units) {
        return units <= 0 ? Double.NaN : cpuSeconds * 1e6 / units;
    }
}

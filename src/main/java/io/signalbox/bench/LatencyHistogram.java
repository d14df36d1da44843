package io.signalbox.bench;

/**
 * Latencies in microseconds, kept in log-linear buckets (64 per power of two above 128 µs, so a
 * quantile is within 1.6 % of the true value). One thread records into one histogram; histograms of
 * several threads are merged at the end, so the hot path takes no lock and shares no cache line.
 */
final class LatencyHistogram {
    private static final int LINEAR = 128;
    private static final int SUB = 64;
    private static final int BUCKETS = LINEAR + 58 * SUB;

    /** Counts per bucket; written by the owning thread only, read after it stopped. */
    private final long[] counts = new long[BUCKETS];
    /** How many values were recorded; same owner. */
    private long count;
    /** The largest value recorded, in µs; same owner. */
    private long max;

    void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts[index(micros)]++;
        count++;
        if (micros > max) max = micros;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
        count += other.count;
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    /** The q-quantile (0 &lt; q &le; 1) in milliseconds, or NaN when nothing was recorded. */
    double quantileMillis(double q) {
        if (count == 0) return Double.NaN;
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(valueAt(i), max) / 1000.0;
        }
        return max / 1000.0;
    }

    double maxMillis() {
        return count == 0 ? Double.NaN : max / 1000.0;
    }

    static int index(long micros) {
        if (micros < LINEAR) return (int) micros;
        int shift = 63 - Long.numberOfLeadingZeros(micros) - 6;
        int i = LINEAR + (shift - 1) * SUB + (int) ((micros >> shift) - SUB);
        return Math.min(i, BUCKETS - 1);
    }

    /** The middle of a bucket, in µs. */
    static long valueAt(int index) {
        if (index < LINEAR) return index;
        int shift = (index - LINEAR) / SUB + 1;
        long mantissa = (index - LINEAR) % SUB + SUB;
        return (mantissa << shift) + ((1L << shift) >> 1);
    }
}

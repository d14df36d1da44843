package io.signalbox.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server's JVM says about its own memory and files, for {@code GET /health}: figures an
 * operator watches for leaks, read from the platform MXBeans at no cost beyond the call.
 *
 * <p>The heap "after GC" is the sum, over the heap's pools, of what each held right after the last
 * collection that covered it ({@link MemoryPoolMXBean#getCollectionUsage()}): unlike the heap in use,
 * it does not swing with the garbage made since, so a line of readings over hours shows whether live
 * data grows. After a young collection it still counts old garbage not yet collected; a tool that
 * wants the live set exactly asks for a full collection first (the soak run does, with
 * {@code jcmd PID GC.run}).
 */
final class JvmVitals {

    private JvmVitals() {}

    /** The figures, by name, in bytes and counts; -1 for one this JVM does not give. */
    static Map<String, Object> read() {
        Map<String, Object> figures = new LinkedHashMap<>();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        figures.put("heapUsedBytes", heap.getUsed());
        figures.put("heapAfterGcBytes", heapAfterGc());
        figures.put("heapCommittedBytes", heap.getCommitted());
        figures.put("heapMaxBytes", heap.getMax());
        figures.put("openFiles", openFiles());
        figures.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        return figures;
    }

    private static long heapAfterGc() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) continue;
            MemoryUsage after = pool.getCollectionUsage();
            if (after == null) continue;
            sum += after.getUsed();
            any = true;
        }
        return any ? sum : -1;
    }

    private static long openFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }
}

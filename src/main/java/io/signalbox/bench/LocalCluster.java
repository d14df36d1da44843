package io.signalbox.bench;

import io.signalbox.server.auth.ApiCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server processes a run starts, and stops again: one node, or several nodes that share their
 * sessions through a Redis (one started here unless the plan names one). Whatever happens (the run
 * ends, fails, or the generator is stopped with Ctrl+C or SIGTERM) every process started here is
 * stopped: by {@link #close} or, should the JVM end first, by a shutdown hook.
 */
final class LocalCluster implements AutoCloseable {

    /** The nodes started so far, in order, ready or not; under this. */
    private final List<ServerProcess> nodes = new ArrayList<>();
    /** The nodes' GC logs; guarded by this. */
    private final List<Path> gcLogs = new ArrayList<>();
    /** The Redis started here, or null; under this. */
    private RedisProcess redis;
    /** Set once everything has been stopped: a process launched after that is stopped at once; under this. */
    private boolean stopped;
    /** Stops everything should the JVM end before close(); null once close() has run; under this. */
    private Thread hook;
    /** What the run drives, once every process is up; set by start() only. */
    private Cluster cluster;

    private LocalCluster() {}

    /**
     * Starts the Redis (when the plan needs one of its own), then the nodes one after the other; on any
     * failure stops what it had started and throws.
     *
     * @param serverArgs options for every node beyond those {@link ServerProcess} gives
     */
    static LocalCluster start(Bench.Servers plan, List<String> serverArgs, ApiCredentials credentials, Consumer<String> progress)
            throws InterruptedException {
        LocalCluster local = new LocalCluster();
        Thread hook = Thread.ofPlatform().name("bench-cleanup").unstarted(local::stopAll);
        synchronized (local) {
            local.hook = hook;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            local.startAll(plan, serverArgs, credentials, progress);
            return local;
        } catch (InterruptedException | RuntimeException e) {
            local.close();
            throw e;
        }
    }

    private void startAll(Bench.Servers plan, List<String> serverArgs, ApiCredentials credentials, Consumer<String> progress)
            throws InterruptedException {
        URI redisUri = plan.redis();
        long redisPid = plan.redisPid();
        if (plan.startsRedis()) {
            String cpus = plan.redisCpus() != null ? plan.redisCpus() : plan.cpus();
            RedisProcess started = RedisProcess.start(cpus, this::keep);
            redisUri = started.uri();
            redisPid = started.pid();
            progress.accept("redis-server pid " + redisPid + " on " + redisUri + (cpus == null ? "" : ", CPUs " + cpus));
        }
        List<String> args = new ArrayList<>(serverArgs);
        if (plan.clustered()) args.addAll(List.of("--redis", redisUri.toString()));
        List<Target> targets = new ArrayList<>();
        for (int i = 1; i <= plan.nodes(); i++) {
            Path log = plan.log() == null || plan.nodes() == 1 ? plan.log() : nodeLog(plan.log(), i);
            // The collector's pauses are read back for the report: a latency tail may be one of them.
            Path gcLog = gcLog();
            List<String> jvm = new ArrayList<>(plan.jvmOptions());
            jvm.add(GcPauses.jvmOption(gcLog));
            ServerProcess node = ServerProcess.launch(new ServerProcess.Launch(plan.cpus(), jvm, args, log), credentials);
            keep(node);
            node.awaitReady(60_000);
            String where = " listening on " + node.uri() + (plan.cpus() == null ? "" : ", CPUs " + plan.cpus());
            progress.accept(plan.nodes() == 1 ? "server pid " + node.pid() + where : "node " + i + " pid " + node.pid() + where);
            targets.add(new Target(node.uri(), credentials, node.pid(), gcLog));
        }
        cluster = new Cluster(targets, plan.clustered() ? redisUri : null, redisPid);
    }

    /** A file for a node's GC log, deleted when the nodes are stopped. */
    private Path gcLog() {
        try {
            Path file = Files.createTempFile("signalbox-bench-gc-", ".log");
            synchronized (this) {
                gcLogs.add(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a file for the server's GC log", e);
        }
    }

    private void keep(ServerProcess node) {
        synchronized (this) {
            if (!stopped) {
                nodes.add(node);
                return;
            }
        }
        node.close();
        throw new IllegalStateException("stopping: no more servers are started");
    }

    private void keep(RedisProcess started) {
        synchronized (this) {
            if (!stopped) {
                // A Redis that failed to answer has been stopped already; this is the one being tried now.
                redis = started;
                return;
            }
        }
        started.close();
        throw new IllegalStateException("stopping: no Redis is started");
    }

    /** FILE.log becomes FILE.node2.log; FILE becomes FILE.node2. */
    static Path nodeLog(Path log, int node) {
        String name = log.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String nodeName = dot > 0 ? name.substring(0, dot) + ".node" + node + name.substring(dot) : name + ".node" + node;
        return log.resolveSibling(nodeName);
    }

    Cluster cluster() {
        return cluster;
    }

    /** Stops the nodes (SIGTERM, as an operator would, so they leave Redis cleanly), then the Redis. */
    private synchronized void stopAll() {
        stopped = true;
        for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).close();
        nodes.clear();
        if (redis != null) {
            redis.close();
            redis = null;
        }
        for (Path file : gcLogs) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind; nothing else depends on it
            }
        }
        gcLogs.clear();
    }

    @Override
    public void close() {
        stopAll();
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to, and finds nothing left to stop
            }
        }
    }
}

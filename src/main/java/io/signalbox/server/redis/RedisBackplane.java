package io.signalbox.server.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backplane on Redis, through Lettuce. Two connections: one for commands and publishing, one that
 * only listens to the channels of the sessions this node has members in.
 *
 * <p>Keys and channels, all under {@code signalbox:}:
 * <ul>
 *   <li>{@code session:SID} (channel): the session's events, each in an envelope with the publishing
 *       node and its event number;</li>
 *   <li>{@code session:SID:signals} (stream): the session's signals as published, bounded and
 *       expiring: what a connection whose node died may still be owed when another node takes it over;</li>
 *   <li>{@code session:SID:connections} (hash): connection id to {@code {id, createdAt, data, node}};
 *       expires unless a node with members in the session refreshes it;</li>
 *   <li>{@code node:ID} (string): this node is alive; expires {@link #NODE_TTL} after its last refresh;</li>
 *   <li>{@code node:ID:sessions} (set): the sessions the node has registered connections in, so that
 *       whoever finds the node dead can take its connections out;</li>
 *   <li>{@code nodes} (set): every node that has not been found dead yet;</li>
 *   <li>{@code connection:CID} (hash): what another node needs to take the connection over if its node
 *       dies ({@code session, token} (a SHA-256), {@code info, role, lastSeq, sent}, and {@code cursor}, the
 *       position in the session's signals up to which it had what concerned it); expires one reconnection
 *       window (plus {@link #NODE_TTL}) after its node last refreshed it;</li>
 *   <li>{@code connection:CID:replay} (list): the connection's replay buffer, the signal frames its
 *       client may not have yet, in the same bounds and with the same expiry;</li>
 *   <li>{@code orphans} (sorted set): {@code "SID CID"} of connections of dead nodes that may still be
 *       resumed elsewhere, scored by the time their window runs out; reported left then, unless
 *       taken over.</li>
 * </ul>
 *
 * <p>Order: a node publishes through one connection, so Redis receives its events in the order they
 * were published and hands them to each subscriber in that order. While Redis is away, events wait in
 * a backlog in the same order and go out, first, when it is back.
 */
public final class RedisBackplane implements Backplane {
    private static final Logger log = LoggerFactory.getLogger(RedisBackplane.class);

    private static final String PREFIX = "signalbox:";
    private static final String NODES = PREFIX + "nodes";
    /** How often this node refreshes its registrations and looks for dead nodes. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    /** How long after its last refresh a node is taken for dead, its connections reported left. */
    public static final Duration NODE_TTL = Duration.ofSeconds(5);
    /** How long the shared lists of a session outlive the last node that refreshes them. */
    private static final Duration REGISTRY_TTL = Duration.ofSeconds(60);
    /**
     * How many signals a session's stream keeps, at least (Redis trims it by whole blocks): the signals
     * a connection of a dead node may still be owed when another node takes it over.
     */
    public static final int SIGNAL_HISTORY = 10_000;
    /** How many stream entries one read asks for. */
    private static final int HISTORY_PAGE = 512;
    /** How long a query or a subscription may wait for Redis. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /** Every node retries Redis this often, so that all are back within about this much of Redis. */
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(250);
    /**
     * How long a node waits, once Redis is back, before its backlog goes out: time for the other nodes
     * to reconnect and listen again, so that none misses what it was waiting for.
     */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    /**
     * How long after its own backlog has gone out a node brings its copies of the other nodes'
     * connections up to date: by then every live node has noticed Redis is back (within a refresh),
     * settled, registered its connections again and sent its own backlog.
     */
    private static final Duration CATCH_UP = REFRESH.multipliedBy(2).plus(SETTLE).plus(Duration.ofSeconds(1));

    /**
     * Takes out the connections of every node whose liveness key has expired, once: the node that
     * removes it from the set of nodes does the rest. A connection that may still resume elsewhere
     * (its {@code connection:} key lives) becomes an orphan until {@code ARGV[2]}, the end of its
     * window; the others are gone at once. Returns session id, connection id pairs, flat.
     */
    private static final String REAP = """
            local out = {}
            for _, node in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'nodes')) do
              if redis.call('EXISTS', ARGV[1] .. 'node:' .. node) == 0
                  and redis.call('SREM', ARGV[1] .. 'nodes', node) == 1 then
                local sessions = ARGV[1] .. 'node:' .. node .. ':sessions'
                for _, sid in ipairs(redis.call('SMEMBERS', sessions)) do
                  local hash = ARGV[1] .. 'session:' .. sid .. ':connections'
                  local entries = redis.call('HGETALL', hash)
                  for i = 1, #entries, 2 do
                    if cjson.decode(entries[i + 1]).node == node then
                      if redis.call('EXISTS', ARGV[1] .. 'connection:' .. entries[i]) == 1 then
                        -- Its client may resume on another node within the window: left only after it.
                        redis.call('ZADD', ARGV[1] .. 'orphans', ARGV[2], sid .. ' ' .. entries[i])
                        -- Bounded even if every node dies: a minute after the latest window ends.
                        redis.call('PEXPIREAT', ARGV[1] .. 'orphans', ARGV[2] + 60000)
                      else
                        redis.call('HDEL', hash, entries[i])
                        table.insert(out, sid)
                        table.insert(out, entries[i])
                      end
                    end
                  end
                end
                redis.call('DEL', sessions)
              end
            end
            return out
            """;

    /**
     * Reports left the orphans whose window ran out ({@code ARGV[2]} is now) and that no node took
     * over; the node that removes an orphan from the set reports it. Pairs, flat, as {@link #REAP}.
     */
    private static final String EXPIRE_ORPHANS = """
            local out = {}
            for _, member in ipairs(redis.call('ZRANGEBYSCORE', ARGV[1] .. 'orphans', '-inf', ARGV[2])) do
              if redis.call('ZREM', ARGV[1] .. 'orphans', member) == 1 then
                local sid, cid = string.match(member, '^(%S+) (%S+)$')
                local hash = ARGV[1] .. 'session:' .. sid .. ':connections'
                local entry = redis.call('HGET', hash, cid)
                local owner = entry and cjson.decode(entry).node
                if entry and (redis.call('EXISTS', ARGV[1] .. 'node:' .. owner) == 0
                    or redis.call('HGET', ARGV[1] .. 'connection:' .. cid, 'released') == owner) then
                  redis.call('HDEL', hash, cid)
                  redis.call('DEL', ARGV[1] .. 'connection:' .. cid, ARGV[1] .. 'connection:' .. cid .. ':replay')
                  table.insert(out, sid)
                  table.insert(out, cid)
                end
              end
            end
            return out
            """;

    /**
     * Takes a connection over for this node ({@code ARGV[5]}), atomically: it must be in the session
     * ({@code ARGV[2]}) with this token hash ({@code ARGV[4]}), and its node must be dead or have
     * released it. Answers {@code adopted, info, role, lastSeq, sent, frames, cursor, released (1 or
     * 0)}, or {@code alive, node, ms left of its liveness key}, or {@code mine} (this node took it already), or {@code unknown}.
     */
    private static final String ADOPT = """
            local conn = ARGV[1] .. 'connection:' .. ARGV[3]
            local f = redis.call('HMGET', conn, 'session', 'token', 'info', 'role', 'lastSeq')
            if not f[1] or f[1] ~= ARGV[2] or f[2] ~= ARGV[4] then return {'unknown'} end
            local hash = ARGV[1] .. 'session:' .. ARGV[2] .. ':connections'
            local entry = redis.call('HGET', hash, ARGV[3])
            if not entry then return {'unknown'} end
            local stored = cjson.decode(entry)
            -- Given up by its live node for a client that resumed elsewhere: as good as dead to it.
            local released = redis.call('HGET', conn, 'released') == stored.node
            if stored.node == ARGV[5] and not released then return {'mine'} end
            if not released then
              local ttl = redis.call('PTTL', ARGV[1] .. 'node:' .. stored.node)
              if ttl > 0 then return {'alive', stored.node, ttl} end
            end
            local dead = stored.node
            if released then redis.call('HDEL', conn, 'released') end
            stored.node = ARGV[5]
            redis.call('HSET', hash, ARGV[3], cjson.encode(stored))
            redis.call('ZREM', ARGV[1] .. 'orphans', ARGV[2] .. ' ' .. ARGV[3])
            redis.call('SADD', ARGV[1] .. 'node:' .. ARGV[5] .. ':sessions', ARGV[2])
            local sent = redis.call('HGET', conn, 'sent') or '0'
            local cursor = redis.call('HGET', conn, 'cursor') or ''
            -- The dead node had handled the session's signals up to its progress: none after the
            -- connection's cursor and before that concerned it, or the cursor would be further.
            local progress = redis.call('HGET', ARGV[1] .. 'node:' .. dead .. ':progress', ARGV[2])
            if cursor ~= '' and progress then
              local c1, c2 = string.match(cursor, '^(%d+)-(%d+)$')
              local p1, p2 = string.match(progress, '^(%d+)-(%d+)$')
              c1, c2, p1, p2 = tonumber(c1), tonumber(c2), tonumber(p1), tonumber(p2)
              if p1 > c1 or (p1 == c1 and p2 > c2) then cursor = progress end
            end
            local frames = redis.call('LRANGE', conn .. ':replay', 0, -1)
            return {'adopted', f[3], f[4], f[5] or '0', sent, frames, cursor, released and 1 or 0}
            """;

    /**
     * Copies one change of a replay buffer: {@code ARGV[1]} added at the end unless empty, then
     * {@code ARGV[3]} dropped from the head; {@code ARGV[2]} the count of signals written; {@code
     * ARGV[5]}, unless empty, the position in the session's signal stream of the signal written, the
     * connection's new cursor. Only while the connection's takeover state lives, so that nothing
     * without an expiry is left behind.
     */
    private static final String REPLAY_APPEND = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if ARGV[1] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[1]) end
            if ARGV[3] ~= '0' then redis.call('LTRIM', KEYS[2], tonumber(ARGV[3]), -1) end
            redis.call('HSET', KEYS[1], 'sent', ARGV[2])
            if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'cursor', ARGV[5]) end
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            return 1
            """;

    /**
     * Replaces a connection's replay copy with the node's buffer ({@code ARGV[3..]}), the count of
     * signals written being {@code ARGV[1]}: after an outage in which Redis may have lost it. Only
     * while the takeover state lives.
     */
    private static final String REPLAY_REWRITE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('DEL', KEYS[2])
            for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
            redis.call('HSET', KEYS[1], 'sent', ARGV[1])
            if #ARGV > 2 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
            return 1
            """;

    /**
     * Writes a connection's takeover state ({@code KEYS[1]}). Its cursor, the position in the session's
     * signal stream ({@code KEYS[2]}) up to which the connection has had what concerns it, is
     * {@code ARGV[6]} when given; otherwise it is kept, or, for a new connection, set to the stream's
     * last entry: what comes after is the connection's to have.
     */
    private static final String WRITE_RESUMABLE = """
            redis.call('HSET', KEYS[1], 'session', ARGV[1], 'token', ARGV[2], 'info', ARGV[3],
                'role', ARGV[4], 'lastSeq', ARGV[5])
            if ARGV[6] ~= '' then
              redis.call('HSET', KEYS[1], 'cursor', ARGV[6])
            elseif redis.call('HEXISTS', KEYS[1], 'cursor') == 0 then
              local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
              redis.call('HSET', KEYS[1], 'cursor', last[1] and last[1][1] or '0-0')
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[7])
            return 1
            """;

    /**
     * Marks a connection ({@code KEYS[1]}) released by its node ({@code ARGV[3]}) for a client that
     * resumed on another: its cursor moves to the node's progress in the session ({@code ARGV[4]}) if
     * further; it becomes an orphan ({@code ARGV[2]}, "SID CID") until {@code ARGV[5]}, reported left
     * then unless taken over.
     */
    private static final String RELEASE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'released', ARGV[3])
            local cursor = redis.call('HGET', KEYS[1], 'cursor')
            if ARGV[4] ~= '' and cursor then
              local c1, c2 = string.match(cursor, '^(%d+)-(%d+)$')
              local p1, p2 = string.match(ARGV[4], '^(%d+)-(%d+)$')
              c1, c2, p1, p2 = tonumber(c1), tonumber(c2), tonumber(p1), tonumber(p2)
              if p1 > c1 or (p1 == c1 and p2 > c2) then redis.call('HSET', KEYS[1], 'cursor', ARGV[4]) end
            end
            redis.call('ZADD', ARGV[1] .. 'orphans', ARGV[5], ARGV[2])
            redis.call('PEXPIREAT', ARGV[1] .. 'orphans', tonumber(ARGV[5]) + 60000)
            return 1
            """;

    /**
     * Publishes a signal and keeps it in the session's signal stream ({@code KEYS[1]}), atomically, so
     * that the position the stream gives it orders it as the channel does: the channel carries
     * {@code "POSITION ENVELOPE"}. The stream is bounded ({@code ARGV[3]} entries, roughly) and expires
     * {@code ARGV[4]} ms after its last signal. For a client's signal, its seq ({@code ARGV[5]}) becomes
     * the sender's {@code lastSeq} ({@code KEYS[2]}) in the same step: a signal the others may have is
     * never one a node taking the sender over would route again.
     */
    private static final String PUBLISH_SIGNAL = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[2])
            if ARGV[5] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
              redis.call('HSET', KEYS[2], 'lastSeq', ARGV[5])
            end
            return id
            """;

    /**
     * Reads the session's signal stream ({@code KEYS[1]}) after position {@code ARGV[1]}, at most
     * {@code ARGV[2]} entries. Answers whether entries after that position may have been trimmed away
     * (1 or 0: the stream lost entries and its first is past the position), then position, envelope
     * pairs, flat.
     */
    private static final String READ_SIGNALS = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local fields = {}
            for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
            local trimmed = 0
            local first = fields['first-entry']
            if fields['length'] < fields['entries-added'] and first and first[1] then
              local f1, f2 = string.match(first[1], '^(%d+)-(%d+)$')
              local c1, c2 = string.match(ARGV[1], '^(%d+)-(%d+)$')
              f1, f2, c1, c2 = tonumber(f1), tonumber(f2), tonumber(c1), tonumber(c2)
              if f1 > c1 or (f1 == c1 and f2 > c2) then trimmed = 1 end
            end
            local out = {trimmed}
            for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])) do
              table.insert(out, entry[1])
              table.insert(out, entry[2][2])
            end
            return out
            """;

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * A force disconnect of connection {@code ARGV[3]} of session {@code ARGV[2]}: 0 when the session has
     * no such connection, 1 when its node lives and has not released it, 2 when it was waiting to be
     * taken over and is now taken out (registry entry, takeover state, orphan entry).
     */
    private static final String KICK = """
            local hash = ARGV[1] .. 'session:' .. ARGV[2] .. ':connections'
            local entry = redis.call('HGET', hash, ARGV[3])
            if not entry then return 0 end
            local owner = cjson.decode(entry).node
            local conn = ARGV[1] .. 'connection:' .. ARGV[3]
            if redis.call('EXISTS', ARGV[1] .. 'node:' .. owner) == 1 and redis.call('HGET', conn, 'released') ~= owner then
              return 1
            end
            redis.call('HDEL', hash, ARGV[3])
            redis.call('DEL', conn, conn .. ':replay')
            redis.call('ZREM', ARGV[1] .. 'orphans', ARGV[2] .. ' ' .. ARGV[3])
            return 2
            """;

    /** An event as it travels: who published it and its number among that node's events. */
    private record Envelope(String node, long seq, ClusterEvent event) {}

    /** A connection as the shared registry keeps it. */
    private record Stored(String id, long createdAt, String data, String node) {}

    /**
     * An event for Redis; {@code stream} is the session's signal stream for a signal (which counts
     * against the backlog's bound), null for any other event.
     */
    private record Pending(String channel, String stream, String payload, String sender, String seq) {
        boolean signal() {
            return stream != null;
        }
    }

    private final String nodeId = UUID.randomUUID().toString();
    private final RedisURI uri;
    private final int maxBacklog;
    /** The servers' reconnection window: how long a connection of a dead node may be resumed elsewhere. */
    private final Duration reconnectWindow;
    /** This node's connections whose {@code connection:} keys it keeps alive; changed by the registry. */
    private final Set<String> resumables = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = Codec.mapper();
    private final ClientResources resources;
    private final RedisClient commandClient;
    private final RedisClient listenClient;
    private final ScheduledExecutorService scheduler;
    /**
     * Handles the events heard, one at a time and in order, off Lettuce's I/O thread: handling takes a
     * session's lock, which a thread waiting for a subscription to be confirmed may hold.
     */
    private final ExecutorService events;
    /** Set once by start(), before any event can arrive. */
    private volatile Listener listener;
    /** Set once by start(). */
    private volatile StatefulRedisConnection<String, String> commands;
    /** Set once by start(). */
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;

    private final Object publishLock = new Object();
    /** Events waiting for Redis, oldest first; guarded by publishLock. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** How many of {@code waiting} are signals; guarded by publishLock. */
    private int waitingSignals;
    /**
     * Whether events go straight to Redis: false from a failed publish until the backlog has gone out,
     * so that nothing overtakes what waits. Guarded by publishLock.
     */
    private boolean direct = true;
    /** The number of this node's latest event; guarded by publishLock. */
    private long seq;
    /** The latest event number heard from each other node; only the events thread. */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    /**
     * The position of the latest signal heard and handled, by session: everything up to it that
     * concerned this node's connections has been written to them. Written to Redis at each refresh,
     * so that a node taking a connection over after this node dies reads the stream from no earlier
     * than it must. Put by the events thread, read by the scheduler's.
     */
    private final Map<String, String> progress = new ConcurrentHashMap<>();
    /** The position of the latest signal heard, by session, settled or not; only the events thread. */
    private final Map<String, String> lastHeard = new ConcurrentHashMap<>();
    /** Sessions with members on this node, whose shared lists it keeps alive; changed by the registry. */
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Set when either connection to Redis drops, by Lettuce's thread; taken by the next refresh. An
     * outage shorter than a refresh would otherwise go unseen, and Redis may have come back empty.
     */
    private final AtomicBoolean dropped = new AtomicBoolean();
    /** How many refreshes were made; only the scheduler's thread (and start(), before it runs). */
    private long refreshes;
    /** Whether the last refresh found Redis reachable; only the scheduler's thread. */
    private boolean reachable = true;
    /** Set while a recovery is under way after an outage; only the scheduler's thread. */
    private boolean recovering;

    /**
     * @param redis      {@code redis://HOST:PORT} (with a password or database as Redis URIs have them)
     * @param maxBacklog how many signals may wait for Redis while it is away; one more is refused
     */
    public RedisBackplane(URI redis, int maxBacklog) {
        this(redis, maxBacklog, Duration.ofSeconds(60));
    }

    /**
     * @param redis           {@code redis://HOST:PORT} (with a password or database as Redis URIs have them)
     * @param maxBacklog      how many signals may wait for Redis while it is away; one more is refused
     * @param reconnectWindow how long a client may take to resume, on this node or another
     */
    public RedisBackplane(URI redis, int maxBacklog, Duration reconnectWindow) {
        if (maxBacklog < 1) throw new IllegalArgumentException("maxBacklog must be positive, not " + maxBacklog);
        if (reconnectWindow.isNegative()) throw new IllegalArgumentException("reconnectWindow must not be negative");
        this.reconnectWindow = reconnectWindow;
        this.uri = RedisURI.create(redis);
        this.uri.setTimeout(QUERY_TIMEOUT);
        this.maxBacklog = maxBacklog;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(RECONNECT_DELAY))
                .build();
        // While a connection is known to be down nothing is handed to Lettuce (events wait in the
        // backlog here, queries fail at once); what was handed to it just before a drop it keeps and
        // sends first when Redis is back, ahead of the backlog, so the order holds. The listening
        // connection renews its subscriptions itself.
        ClientOptions options = ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build();
        this.commandClient = RedisClient.create(resources, uri);
        commandClient.setOptions(options);
        this.listenClient = RedisClient.create(resources, uri);
        listenClient.setOptions(options);
        RedisConnectionStateListener drops = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                dropped.set(true);
            }
        };
        commandClient.addListener(drops);
        listenClient.addListener(drops);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("signalbox-backplane").daemon(true).factory());
        this.events = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                .name("signalbox-cluster-events").daemon(true).factory());
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        try {
            commands = commandClient.connect();
            pubsub = listenClient.connectPubSub();
        } catch (RedisException e) {
            close();
            throw new IllegalStateException("cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage(), e);
        }
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                events.execute(() -> hear(channel, message));
            }
        });
        refresh();
        scheduler.scheduleWithFixedDelay(this::tick, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} joined the cluster on Redis at {}:{}", nodeId, uri.getHost(), uri.getPort());
    }

    // ---- publishing ---------------------------------------------------------------------------------

    @Override
    public CompletionStage<?> publishSignal(String sessionId, ClusterEvent.Signal signal) {
        return publish(sessionId, signal, true);
    }

    @Override
    public void publish(String sessionId, ClusterEvent event) {
        publish(sessionId, event, false);
    }

    /** The stage of Redis having it, DONE when it waits in the backlog, null when refused. */
    private CompletionStage<?> publish(String sessionId, ClusterEvent event, boolean signal) {
        synchronized (publishLock) {
            if (signal && !direct && waitingSignals >= maxBacklog) return null;
            String sender = event instanceof ClusterEvent.Signal s && s.from() != null ? s.from() : null;
            Pending pending = new Pending(channel(sessionId), signal ? signalsKey(sessionId) : null,
                    write(new Envelope(nodeId, ++seq, event)), sender,
                    sender == null ? "" : Long.toString(((ClusterEvent.Signal) event).ref()));
            if (direct) {
                CompletionStage<?> sent = send(pending);
                if (sent != null) return sent;
                log.warn("Redis is away: events for other nodes wait, at most {} signals", maxBacklog);
            }
            direct = false;
            if (signal && waitingSignals >= maxBacklog) return null;
            waiting.addLast(pending);
            if (signal) waitingSignals++;
            return DONE;
        }
    }

    /**
     * Hands one event to Lettuce; the stage of Redis answering it, or null when Redis is known to be
     * away, or Lettuce refused it at once.
     */
    private CompletionStage<?> send(Pending event) {
        StatefulRedisConnection<String, String> connection = commands;
        if (!connection.isOpen()) return null;
        try {
            RedisFuture<?> sent = event.signal()
                    ? connection.async().eval(PUBLISH_SIGNAL, ScriptOutputType.VALUE,
                            new String[] {event.stream(), resumableKey(event.sender() == null ? "-" : event.sender())},
                            event.channel(), event.payload(), Integer.toString(SIGNAL_HISTORY),
                            Long.toString(historyTtl().toMillis()), event.seq())
                    : connection.async().publish(event.channel(), event.payload());
            return sent.toCompletableFuture().isCompletedExceptionally() ? null : sent;
        } catch (RedisException e) {
            return null;
        }
    }

    /** Sends what waited, in order; true when nothing waits any more and events go direct again. */
    private boolean drain() {
        int sent = 0;
        while (true) {
            synchronized (publishLock) {
                Pending next = waiting.peekFirst();
                if (next == null) {
                    direct = true;
                    if (sent > 0) log.info("Redis is back: {} waiting events went out", sent);
                    return true;
                }
                if (send(next) == null) return false;
                waiting.removeFirst();
                if (next.signal()) waitingSignals--;
                sent++;
            }
        }
    }

    @Override
    public int backlog() {
        synchronized (publishLock) {
            return waiting.size();
        }
    }

    @Override
    public boolean available() {
        StatefulRedisConnection<String, String> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return c != null && p != null && c.isOpen() && p.isOpen();
    }

    // ---- listening ----------------------------------------------------------------------------------

    private void hear(String channel, String message) {
        // A signal comes as "POSITION ENVELOPE", its position in the session's signal stream first.
        String position = null;
        if (!message.startsWith("{")) {
            int space = message.indexOf(' ');
            if (space < 0) {
                log.warn("ignored an unreadable event on {}", channel);
                return;
            }
            position = message.substring(0, space);
            message = message.substring(space + 1);
        }
        Envelope envelope;
        try {
            envelope = json.readValue(message, Envelope.class);
        } catch (JsonProcessingException e) {
            log.warn("ignored an unreadable event on {}: {}", channel, e.getOriginalMessage());
            return;
        }
        String sessionId = sessionOf(channel);
        // Its own events the node has delivered to its members already, or is about to.
        if (nodeId.equals(envelope.node())) {
            heard(sessionId, position, true);
            return;
        }
        // Lettuce sends again, after a reconnect, a command whose answer a dropped link lost: the
        // event may come twice.
        Long last = heard.get(envelope.node());
        if (last != null && envelope.seq() <= last) return;
        heard.put(envelope.node(), envelope.seq());
        try {
            listener.onEvent(sessionId, envelope.event(), position);
        } catch (RuntimeException e) {
            log.error("handling {} on {} failed", envelope.event(), channel, e);
        }
        heard(sessionId, position, false);
    }

    /**
     * A signal at {@code position} has been heard and handled: the latest heard in its session, and,
     * for another node's, the node's progress if nothing of its own waits to be written here (not past
     * a signal of this node's own that its members have not been given yet). The node's own signals do
     * not move its progress: a takeover after its death reads them from the stream again (their
     * receivers drop those they have by their ref); a release, with its writes done, may move a
     * cursor past them.
     */
    private void heard(String sessionId, String position, boolean own) {
        if (position == null || !sessions.contains(sessionId)) return;
        lastHeard.put(sessionId, position);
        if (!own && listener.settled(sessionId)) progress.put(sessionId, position);
    }

    @Override
    public void subscribe(String sessionId) {
        sessions.add(sessionId);
        StatefulRedisPubSubConnection<String, String> connection = pubsub;
        if (!connection.isOpen()) {
            connection.async().subscribe(channel(sessionId));
            return;
        }
        try {
            connection.sync().subscribe(channel(sessionId));
        } catch (RedisException e) {
            log.warn("subscribing to session {} failed: {}", sessionId, e.getMessage());
        }
    }

    @Override
    public void unsubscribe(String sessionId) {
        sessions.remove(sessionId);
        progress.remove(sessionId);
        lastHeard.remove(sessionId);
        pubsub.async().unsubscribe(channel(sessionId));
        StatefulRedisConnection<String, String> c = commands;
        // No connection of this node is left in the session: nothing there for a reaper to take out.
        if (c.isOpen()) c.async().srem(nodeSessionsKey(), sessionId);
    }

    // ---- the shared registry ------------------------------------------------------------------------

    @Override
    public void register(String sessionId, ConnectionInfo connection) {
        sessions.add(sessionId);
        StatefulRedisConnection<String, String> c = commands;
        // While Redis is away, the node registers its connections again when it is back.
        if (!c.isOpen()) return;
        try {
            RedisAsyncCommands<String, String> redis = c.async();
            String hash = connectionsKey(sessionId);
            redis.hset(hash, connection.id(), write(new Stored(connection.id(), connection.createdAt(),
                    connection.data(), nodeId)));
            redis.pexpire(hash, REGISTRY_TTL.toMillis());
            redis.sadd(nodeSessionsKey(), sessionId);
        } catch (RedisException e) {
            log.debug("registering {} waits for Redis: {}", connection.id(), e.getMessage());
        }
    }

    @Override
    public void unregister(String sessionId, String connectionId) {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        try {
            c.async().hdel(connectionsKey(sessionId), connectionId);
        } catch (RedisException e) {
            log.debug("unregistering {} waits for Redis: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public Map<String, Member> connections(String sessionId) {
        Map<String, String> entries;
        try {
            if (!commands.isOpen()) throw new RedisException("not connected");
            entries = commands.sync().hgetall(connectionsKey(sessionId));
        } catch (RedisException e) {
            throw new BackplaneUnavailableException("the cluster's registry (Redis at " + uri.getHost() + ":"
                    + uri.getPort() + ") does not answer: " + e.getMessage(), e);
        }
        Map<String, Member> members = new LinkedHashMap<>();
        for (String value : entries.values()) {
            Stored stored = read(value, Stored.class);
            if (stored == null) continue;
            members.put(stored.id(), new Member(new ConnectionInfo(stored.id(), stored.createdAt(), stored.data()),
                    stored.node()));
        }
        return members;
    }

    // ---- taking over the connections of a dead node ----------------------------------------------------

    @Override
    public void keepResumable(String sessionId, Resumable connection, String cursor) {
        String id = connection.connection().id();
        resumables.add(id);
        StatefulRedisConnection<String, String> c = commands;
        // While Redis is away a dead node's connections cannot move anyway; the recovery writes them again.
        if (!c.isOpen()) return;
        try {
            ConnectionInfo info = connection.connection();
            c.async().eval(WRITE_RESUMABLE, ScriptOutputType.INTEGER, new String[] {resumableKey(id), signalsKey(sessionId)},
                    sessionId, connection.resumeTokenHash(),
                    write(new Stored(info.id(), info.createdAt(), info.data(), nodeId)),
                    connection.role(), Long.toString(connection.lastSeq()), cursor == null ? "" : cursor,
                    Long.toString(resumableTtl().toMillis()));
        } catch (RedisException e) {
            log.debug("keeping {} resumable waits for Redis: {}", id, e.getMessage());
        }
    }

    @Override
    public CompletionStage<?> handled(String connectionId, long lastSeq) {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return DONE;
        try {
            // Not awaited here: Lettuce writes commands in order on one connection, so this costs the
            // routing thread no round trip; see docs/scale-out.md for the instant it can be lost in.
            return c.async().hset(resumableKey(connectionId), "lastSeq", Long.toString(lastSeq));
        } catch (RedisException e) {
            log.debug("lastSeq of {} not written: {}", connectionId, e.getMessage());
            return DONE;
        }
    }

    @Override
    public CompletionStage<?> written() {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return DONE;
        try {
            return c.async().ping();
        } catch (RedisException e) {
            return DONE;
        }
    }

    @Override
    public void replayAppended(String connectionId, String frame, long signalsSent, int dropped, String position) {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        String key = resumableKey(connectionId);
        try {
            c.async().eval(REPLAY_APPEND, ScriptOutputType.INTEGER, new String[] {key, key + ":replay"},
                    frame == null ? "" : frame, Long.toString(signalsSent), Integer.toString(dropped),
                    Long.toString(resumableTtl().toMillis()), position == null ? "" : position);
        } catch (RedisException e) {
            log.debug("replay copy of {} not written: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public void replayRewritten(String connectionId, List<String> frames, long signalsSent) {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        String key = resumableKey(connectionId);
        String[] args = new String[frames.size() + 2];
        args[0] = Long.toString(signalsSent);
        args[1] = Long.toString(resumableTtl().toMillis());
        for (int i = 0; i < frames.size(); i++) args[i + 2] = frames.get(i);
        try {
            c.async().eval(REPLAY_REWRITE, ScriptOutputType.INTEGER, new String[] {key, key + ":replay"}, args);
        } catch (RedisException e) {
            log.debug("replay copy of {} not rewritten: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public void replayTrimmed(String connectionId, int dropped) {
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        try {
            c.async().ltrim(resumableKey(connectionId) + ":replay", dropped, -1);
        } catch (RedisException e) {
            log.debug("replay copy of {} not trimmed: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public void release(String sessionId, String connectionId) {
        resumables.remove(connectionId);
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        // Called on the events thread once this node's writes in the session are done: everything heard
        // so far has been handled, so the cursor may move up to it, a signal of its own heard before its
        // write was done included.
        String handled = listener.settled(sessionId) ? lastHeard.getOrDefault(sessionId, progress.get(sessionId))
                : progress.get(sessionId);
        try {
            c.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {resumableKey(connectionId)},
                    PREFIX, sessionId + " " + connectionId, nodeId, handled == null ? "" : handled,
                    Long.toString(System.currentTimeMillis() + reconnectWindow.toMillis()));
        } catch (RedisException e) {
            log.debug("releasing {} not written: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public Kick kick(String sessionId, String connectionId) {
        Long answer;
        try {
            if (!commands.isOpen()) throw new RedisException("not connected");
            answer = commands.sync().eval(KICK, ScriptOutputType.INTEGER, new String[0], PREFIX, sessionId, connectionId);
        } catch (RedisException e) {
            throw new BackplaneUnavailableException("the cluster's registry (Redis at " + uri.getHost() + ":"
                    + uri.getPort() + ") does not answer: " + e.getMessage(), e);
        }
        return switch (answer.intValue()) {
            case 1 -> Kick.OWNER_ALIVE;
            case 2 -> Kick.REMOVED;
            default -> Kick.UNKNOWN;
        };
    }

    @Override
    public void forget(String connectionId) {
        resumables.remove(connectionId);
        StatefulRedisConnection<String, String> c = commands;
        if (!c.isOpen()) return;
        try {
            c.async().del(resumableKey(connectionId), resumableKey(connectionId) + ":replay");
        } catch (RedisException e) {
            log.debug("forgetting {} waits for its expiry: {}", connectionId, e.getMessage());
        }
    }

    @Override
    public Adoption adopt(String sessionId, String connectionId, String resumeTokenHash) {
        List<Object> answer;
        try {
            if (!commands.isOpen()) throw new RedisException("not connected");
            answer = commands.sync().eval(ADOPT, ScriptOutputType.MULTI, new String[0],
                    PREFIX, sessionId, connectionId, resumeTokenHash, nodeId);
        } catch (RedisException e) {
            throw new BackplaneUnavailableException("the cluster's registry (Redis at " + uri.getHost() + ":"
                    + uri.getPort() + ") does not answer: " + e.getMessage(), e);
        }
        return switch ((String) answer.getFirst()) {
            case "adopted" -> {
                Stored stored = read((String) answer.get(1), Stored.class);
                if (stored == null) yield new Adoption.Unknown();
                Resumable connection = new Resumable(new ConnectionInfo(stored.id(), stored.createdAt(), stored.data()),
                        (String) answer.get(2), resumeTokenHash, Long.parseLong((String) answer.get(3)));
                List<String> frames = new ArrayList<>();
                for (Object frame : (List<?>) answer.get(5)) frames.add((String) frame);
                String cursor = (String) answer.get(6);
                yield new Adoption.Adopted(connection, Long.parseLong((String) answer.get(4)), frames,
                        cursor.isEmpty() ? null : cursor, (Long) answer.get(7) == 1L);
            }
            case "alive" -> new Adoption.OwnerAlive((String) answer.get(1),
                    Math.max(0, NODE_TTL.toMillis() - (Long) answer.get(2)));
            case "mine" -> new Adoption.TakingOver();
            default -> new Adoption.Unknown();
        };
    }

    @Override
    public SignalHistory signalsAfter(String sessionId, String position) {
        List<PastSignal> signals = new ArrayList<>();
        boolean trimmed = false;
        String after = position;
        try {
            if (!commands.isOpen()) throw new RedisException("not connected");
            while (true) {
                List<Object> page = commands.sync().eval(READ_SIGNALS, ScriptOutputType.MULTI,
                        new String[] {signalsKey(sessionId)}, after, Integer.toString(HISTORY_PAGE));
                // Checked before the first page only: later pages start after entries already read.
                if (after.equals(position)) trimmed = (Long) page.getFirst() == 1L;
                for (int i = 1; i + 1 < page.size(); i += 2) {
                    after = (String) page.get(i);
                    Envelope envelope = read((String) page.get(i + 1), Envelope.class);
                    if (envelope != null && envelope.event() instanceof ClusterEvent.Signal signal) {
                        signals.add(new PastSignal(after, envelope.node(), signal));
                    }
                }
                if (page.size() - 1 < 2 * HISTORY_PAGE) break;
            }
        } catch (RedisException e) {
            throw new BackplaneUnavailableException("the session's signal history (Redis at " + uri.getHost() + ":"
                    + uri.getPort() + ") cannot be read: " + e.getMessage(), e);
        }
        return new SignalHistory(signals, after, trimmed);
    }

    @Override
    public <T> CompletableFuture<T> inOrder(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, events);
    }

    /** Reports left, through the registry, the orphans whose window ran out with no node taking them. */
    private void expireOrphans() {
        List<Object> found = commands.sync().eval(EXPIRE_ORPHANS, ScriptOutputType.MULTI, new String[0],
                PREFIX, Long.toString(System.currentTimeMillis()));
        if (found.isEmpty()) return;
        Map<String, List<String>> bySession = new LinkedHashMap<>();
        for (int i = 0; i + 1 < found.size(); i += 2) {
            bySession.computeIfAbsent((String) found.get(i), k -> new ArrayList<>()).add((String) found.get(i + 1));
        }
        log.info("{} connections of a dead node were not resumed within the window; they are gone", found.size() / 2);
        bySession.forEach(listener::onConnectionsLost);
    }

    /**
     * How long a connection's takeover state outlives its node's last refresh: the window, plus the
     * time the others take to notice the node is dead, since the client's window starts at the death.
     */
    private Duration resumableTtl() {
        return reconnectWindow.plus(NODE_TTL);
    }

    /** How long a session's signal stream outlives its last signal: as long as a takeover may need it. */
    private Duration historyTtl() {
        return resumableTtl().plus(REFRESH.multipliedBy(5));
    }

    /** Every how many refreshes the takeover state's expiry is pushed back: a quarter of it, or each. */
    private long resumableRefreshTicks() {
        return Math.max(1, resumableTtl().dividedBy(4).toMillis() / REFRESH.toMillis());
    }

    // ---- liveness and recovery ----------------------------------------------------------------------

    private void tick() {
        try {
            boolean droppedMeanwhile = dropped.getAndSet(false);
            boolean up = available();
            if (!up) {
                if (reachable) log.warn("lost Redis at {}:{}; serving this node's clients alone until it is back",
                        uri.getHost(), uri.getPort());
                reachable = false;
                return;
            }
            if (droppedMeanwhile && recovering) {
                // Dropped again while rejoining: rejoin once more after this attempt.
                dropped.set(true);
                return;
            }
            if (!reachable || droppedMeanwhile) {
                reachable = true;
                if (!recovering) {
                    recovering = true;
                    log.info("Redis is reachable again after an outage; rejoining the cluster in {} ms", SETTLE.toMillis());
                    scheduler.schedule(this::recover, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (recovering) return;
            if (backlog() > 0) {
                // A publish failed in a blip between two refreshes: what waits goes out now.
                recovering = true;
                scheduler.schedule(this::recover, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            refresh();
            reap();
            expireOrphans();
        } catch (RuntimeException e) {
            log.warn("backplane refresh failed: {}", e.toString());
        }
    }

    /** Says this node is alive and keeps its sessions' shared lists from expiring. */
    private void refresh() {
        RedisAsyncCommands<String, String> redis = commands.async();
        try {
            redis.set(PREFIX + "node:" + nodeId, "alive", SetArgs.Builder.px(NODE_TTL.toMillis()));
            redis.sadd(NODES, nodeId);
            redis.pexpire(nodeSessionsKey(), REGISTRY_TTL.toMillis());
            for (String sessionId : sessions) redis.pexpire(connectionsKey(sessionId), REGISTRY_TTL.toMillis());
            if (!progress.isEmpty()) {
                // After the signals' own writes on this connection: handled means written to them.
                redis.hset(progressKey(), Map.copyOf(progress));
                redis.pexpire(progressKey(), resumableTtl().toMillis());
            }
            // Two commands per connection: not every second, but often enough that a quarter of the
            // expiry is always left.
            if (refreshes++ % resumableRefreshTicks() == 0) {
                long ttl = resumableTtl().toMillis();
                for (String connectionId : resumables) {
                    redis.pexpire(resumableKey(connectionId), ttl);
                    redis.pexpire(resumableKey(connectionId) + ":replay", ttl);
                }
            }
        } catch (RedisException e) {
            log.debug("refresh failed: {}", e.getMessage());
        }
    }

    /** Takes out the connections of nodes that stopped refreshing, and tells the registry. */
    private void reap() {
        List<Object> found = commands.sync().eval(REAP, ScriptOutputType.MULTI, new String[0], PREFIX,
                Long.toString(System.currentTimeMillis() + reconnectWindow.toMillis()));
        if (found.isEmpty()) return;
        Map<String, List<String>> bySession = new LinkedHashMap<>();
        for (int i = 0; i + 1 < found.size(); i += 2) {
            bySession.computeIfAbsent((String) found.get(i), k -> new ArrayList<>()).add((String) found.get(i + 1));
        }
        log.info("a node stopped answering; its {} connections are gone", found.size() / 2);
        bySession.forEach(listener::onConnectionsLost);
    }

    /**
     * Redis is back, perhaps empty: register this node's connections again, send what waited, then let
     * the registry catch up once the other nodes have sent theirs.
     */
    private void recover() {
        try {
            refresh();
            Map<String, List<ConnectionInfo>> local = listener.localConnections();
            local.forEach((sessionId, connections) -> {
                for (ConnectionInfo connection : connections) {
                    register(sessionId, connection);
                    // Nodes that took this one for dead meanwhile learn its connections again; the
                    // others know them already and say nothing.
                    publish(sessionId, new ClusterEvent.Joined(connection), false);
                }
            });
            // Redis may have come back empty: what a takeover needs is written again too.
            listener.onRejoined();
            if (!drain()) {
                // Lost again meanwhile: the next tick starts over.
                reachable = false;
                recovering = false;
                return;
            }
            recovering = false;
            scheduler.schedule(() -> {
                try {
                    listener.onRecovered();
                } catch (RuntimeException e) {
                    log.warn("catching up after the outage failed: {}", e.toString());
                }
            }, CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            reachable = false;
            recovering = false;
            log.warn("rejoining the cluster failed; trying again: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        events.shutdownNow();
        StatefulRedisConnection<String, String> c = commands;
        if (c != null && c.isOpen()) {
            try {
                // The others take this node's connections out at their next refresh, not after the TTL.
                c.sync().del(PREFIX + "node:" + nodeId);
            } catch (RedisException e) {
                log.debug("could not say goodbye to Redis: {}", e.getMessage());
            }
        }
        if (pubsub != null) pubsub.close();
        if (c != null) c.close();
        commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        listenClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    // ---- names and JSON -----------------------------------------------------------------------------

    private static String channel(String sessionId) {
        return PREFIX + "session:" + sessionId;
    }

    private static String connectionsKey(String sessionId) {
        return PREFIX + "session:" + sessionId + ":connections";
    }

    private static String signalsKey(String sessionId) {
        return PREFIX + "session:" + sessionId + ":signals";
    }

    private static String resumableKey(String connectionId) {
        return PREFIX + "connection:" + connectionId;
    }

    private static String sessionOf(String channel) {
        return channel.substring((PREFIX + "session:").length());
    }

    private String progressKey() {
        return PREFIX + "node:" + nodeId + ":progress";
    }

    private String nodeSessionsKey() {
        return PREFIX + "node:" + nodeId + ":sessions";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            log.warn("ignored an unreadable registry entry: {}", e.getOriginalMessage());
            return null;
        }
    }
}

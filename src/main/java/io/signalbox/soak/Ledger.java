package io.signalbox.soak;

import io.signalbox.chaos.SignalTag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every send of a soak run and every delivery, checked as they happen, by the rules of the chaos
 * run's check ({@code io.signalbox.chaos.ChaosCheck}): a delivery promised and not made is
 * <b>lost</b>, a signal received twice by one client is <b>doubled</b>, one received after a later
 * signal of its sender is <b>reordered</b>, a delivery of a send that failed with a definite error
 * is a <b>phantom</b>, and a signal that no send explains is <b>unexpected</b>. A send with retry
 * after reconnect is promised to everyone it was addressed to (every drop of a soak resumes within
 * the window); one without is promised once its future completed; a REST signal once the server
 * answered 204.
 *
 * <p>The chaos check keeps every received signal and judges at the end; a soak delivers tens of
 * millions, so this keeps, per sender and receiver, only the highest number received and the
 * numbers skipped below it (the <i>gaps</i>: a gap filled later is a reordering, a number received
 * that is neither above the highest nor a gap is a double). The sends are kept as two small arrays
 * per sender, a few bytes a send.
 *
 * <p>Senders are <i>streams</i>: each client is one (stream {@code i} is client {@code i}), and each
 * session has one more for the REST API's signals into it (stream {@code clients + g} for session
 * {@code g}), numbered on their own since they have no sender connection. A signal's data starts with
 * its {@link SignalTag} ({@code s<stream>#<number>#r|n}), then a space and filler.
 *
 * <p>Thread-safety: {@link #open} and {@link #settle} may be called from any thread; each stream's
 * records are guarded by the stream. {@link #received} is called by the receiving client's event
 * thread; each receiver's state is guarded by the receiver.
 */
final class Ledger {
    /** The target of a signal to everyone in the sender's session. */
    static final int EVERYONE = -1;
    /** How many problems are described in words; the counts cover all of them. */
    static final int MAX_PROBLEMS = 25;

    /** How a send ended; the low bits of a send's state. */
    enum Outcome { PENDING, ACKNOWLEDGED, FAILED, UNKNOWN }

    private static final byte RETRY = 0x10;
    private static final byte OUTCOME_BITS = 0x0f;

    private final Layout layout;
    private final Stream[] streams;
    private final Receiver[] receivers;
    /** Each client's connection id, by index; set once by {@link #connectionIds} before any signal. */
    private volatile List<String> connectionIds = List.of();

    /** Sends opened so far; raised by open(). */
    private final LongAdder sent = new LongAdder();
    /** First deliveries so far (reordered ones included, doubles not); raised by received(). */
    private final LongAdder delivered = new LongAdder();
    private final LongAdder doubled = new LongAdder();
    private final LongAdder reordered = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    /** Failed sends by reason (an error code, "HTTP 404", an exception's class); added to by settle(). */
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** The first problems in words; guarded by itself. */
    private final List<String> problems = new ArrayList<>();
    /** How many problems there were, described or not; raised with {@code problems}. */
    private final LongAdder problemCount = new LongAdder();

    Ledger(Layout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.streams = new Stream[layout.clients() + layout.sessions()];
        for (int s = 0; s < streams.length; s++) streams[s] = new Stream();
        this.receivers = new Receiver[layout.clients()];
        for (int r = 0; r < receivers.length; r++) {
            receivers[r] = new Receiver(layout.size(layout.sessionOf(r)) + 1);
        }
    }

    /** Tells the ledger everyone's connection id, by client index, once all have joined. */
    void connectionIds(List<String> ids) {
        if (ids.size() != layout.clients()) throw new IllegalArgumentException(ids.size() + " ids for " + layout.clients() + " clients");
        this.connectionIds = List.copyOf(ids);
    }

    /** The stream of a session's REST signals. */
    int restStream(int session) {
        return layout.clients() + session;
    }

    /**
     * Records a send about to be made and gives it its tag. Call it before sending, so that the
     * record is there when the signal arrives; a stream's sends must be opened in the order they are
     * sent.
     *
     * @param stream the sending stream
     * @param target the one receiving client, in the stream's session, or {@link #EVERYONE}
     * @param retry  whether it is sent with retry after reconnect
     */
    SignalTag open(int stream, int target, boolean retry) {
        if (target != EVERYONE && layout.sessionOf(target) != sessionOfStream(stream)) {
            throw new IllegalArgumentException("client " + target + " is not in the session of stream " + stream);
        }
        long counter = streams[stream].add(target, retry);
        sent.increment();
        return new SignalTag(stream, counter, retry);
    }

    /**
     * Records how a send ended.
     *
     * @param reason why it failed, for a failed or unknown outcome; else null
     */
    void settle(SignalTag tag, Outcome outcome, String reason) {
        if (outcome == Outcome.PENDING) throw new IllegalArgumentException("a send settles with an outcome");
        if ((outcome == Outcome.ACKNOWLEDGED) != (reason == null)) {
            throw new IllegalArgumentException("a failed send, and only one, has a reason: " + outcome + ", " + reason);
        }
        streams[tag.sender()].settle(tag.counter(), outcome);
        if (reason != null) failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /**
     * Checks one received signal as the receiving client's event thread hears it.
     *
     * @return the tag, when the signal is one of the run's and addressed to this receiver; else null
     */
    SignalTag received(int receiver, String data, String fromId, boolean direct) {
        SignalTag tag = parse(data);
        String wrong = tag == null ? "'" + abbreviate(data) + "', which no soak stream sent" : wrongFor(receiver, tag, fromId, direct);
        if (wrong != null) {
            unexpected.increment();
            problem("c" + receiver + " received " + wrong);
            return null;
        }
        int local = local(tag.sender());
        long counter = tag.counter();
        Receiver state = receivers[receiver];
        synchronized (state) {
            long highest = state.highest[local];
            if (counter > highest) {
                Stream stream = streams[tag.sender()];
                for (long skipped = highest + 1; skipped < counter; skipped++) {
                    if (stream.addressedTo(skipped, receiver)) state.gap(local, skipped);
                }
                state.highest[local] = counter;
                delivered.increment();
            } else if (state.fill(local, counter)) {
                delivered.increment();
                reordered.increment();
                problem("c" + receiver + " received " + tag + " after s" + tag.sender() + "#" + highest + ", sent later");
            } else {
                doubled.increment();
                problem("c" + receiver + " received " + tag + " again");
            }
        }
        return tag;
    }

    /** Why a tagged signal should not have reached this receiver as it did, or null when it should. */
    private String wrongFor(int receiver, SignalTag tag, String fromId, boolean direct) {
        int stream = tag.sender();
        if (stream >= streams.length) return tag + ", of a stream that does not exist";
        if (sessionOfStream(stream) != layout.sessionOf(receiver)) return tag + ", sent into another session";
        String expectedFrom = stream < layout.clients() ? connectionIds.get(stream) : null;
        if (!Objects.equals(fromId, expectedFrom)) {
            return tag + " from " + fromId + ", not from " + (expectedFrom == null ? "the REST API" : expectedFrom);
        }
        int target = streams[stream].target(tag.counter());
        if (target == Stream.NEVER) return tag + ", which was never sent";
        if (target != EVERYONE && target != receiver) return tag + ", addressed to c" + target;
        if (direct != (target != EVERYONE)) return tag + " marked " + (direct ? "direct" : "to everyone");
        return null;
    }

    /** Whether this receiver has caught up with every stream of its session up to {@code counters} (by local stream). */
    boolean reached(int receiver, long[] counters) {
        Receiver state = receivers[receiver];
        synchronized (state) {
            for (int local = 0; local < counters.length; local++) {
                if (state.highest[local] < counters[local]) return false;
            }
            return true;
        }
    }

    /** The number of the latest send of each stream of a session, by local stream (its clients, then REST). */
    long[] latest(int session) {
        int size = layout.size(session);
        long[] latest = new long[size + 1];
        for (int local = 0; local < size; local++) latest[local] = streams[layout.first(session) + local].count();
        latest[size] = streams[restStream(session)].count();
        return latest;
    }

    long sent() {
        return sent.sum();
    }

    long delivered() {
        return delivered.sum();
    }

    /** Sends whose outcome is not known yet. */
    long pending() {
        long pending = 0;
        for (Stream stream : streams) pending += stream.pending();
        return pending;
    }

    /**
     * Judges every send against the deliveries. Call it once sending stopped and every receiver has
     * had what it will get; the counts of deliveries, doubles and reorderings are those so far.
     */
    Findings findings() {
        long expected = 0, lost = 0, phantom = 0, pending = 0, retryFailed = 0, unknown = 0;
        long acknowledged = 0, failed = 0, clientSends = 0, restSends = 0, toEveryone = 0;
        for (int s = 0; s < streams.length; s++) {
            Stream stream = streams[s];
            int session = sessionOfStream(s);
            boolean rest = s >= layout.clients();
            // A copy, so that no receiver's lock is taken under a stream's (received() takes them the other way).
            Stream.Copy copy = stream.copy();
            for (long counter = 1; counter <= copy.targets().length; counter++) {
                int target = copy.targets()[(int) (counter - 1)];
                byte state = copy.states()[(int) (counter - 1)];
                Outcome outcome = Outcome.values()[state & OUTCOME_BITS];
                boolean retry = (state & RETRY) != 0;
            String name = new SignalTag(s, counter, retry).toString();
                if (rest) restSends++; else clientSends++;
                if (target == EVERYONE) toEveryone++;
                boolean promised = switch (outcome) {
                    case ACKNOWLEDGED -> {
                        acknowledged++;
                        yield true;
                    }
                    case FAILED, UNKNOWN -> {
                        failed++;
                        if (outcome == Outcome.UNKNOWN) unknown++;
                        if (retry) {
                            retryFailed++;
                            problem(name + ": sent with retry after reconnect, yet it failed");
                        }
                        yield retry;
                    }
                    case PENDING -> {
                        pending++;
                        problem(name + ": its outcome never became known");
                        yield false;
                    }
                };
                int from = target == EVERYONE ? layout.first(session) : target;
                int to = target == EVERYONE ? from + layout.size(session) : target + 1;
                for (int receiver = from; receiver < to; receiver++) {
                    boolean got = has(receiver, local(s), counter);
                    if (outcome == Outcome.ACKNOWLEDGED) expected++;
                    if (promised && !got) {
                        lost++;
                        problem(name + " never reached c" + receiver);
                    }
                    if (outcome == Outcome.FAILED && got) {
                        phantom++;
                        problem(name + " failed, yet reached c" + receiver);
                    }
                }
            }
        }
        Map<String, Long> byReason = new TreeMap<>();
        failures.forEach((reason, count) -> byReason.put(reason, count.sum()));
        List<String> described;
        synchronized (problems) {
            described = new ArrayList<>(problems);
        }
        long more = problemCount.sum() - described.size();
        if (more > 0) described.add("... and " + more + " more");
        return new Findings(clientSends, restSends, toEveryone, acknowledged, failed, unknown, pending, byReason,
                expected, delivered.sum(), lost, doubled.sum(), reordered.sum(), phantom, retryFailed,
                unexpected.sum(), described);
    }

    /** Whether a receiver got a stream's send: at or below the highest it received, and not a gap. */
    private boolean has(int receiver, int local, long counter) {
        Receiver state = receivers[receiver];
        synchronized (state) {
            return counter <= state.highest[local] && !state.isGap(local, counter);
        }
    }

    private int sessionOfStream(int stream) {
        return stream < layout.clients() ? layout.sessionOf(stream) : stream - layout.clients();
    }

    /** A stream's index among its session's streams: its clients in order, then REST. */
    private int local(int stream) {
        int session = sessionOfStream(stream);
        return stream < layout.clients() ? stream - layout.first(session) : layout.size(session);
    }

    private void problem(String problem) {
        problemCount.increment();
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) problems.add(problem);
        }
    }

    /** The tag at the start of a signal's data, before the space and the filler; null when there is none. */
    static SignalTag parse(String data) {
        int space = data.indexOf(' ');
        return SignalTag.parse(space < 0 ? data : data.substring(0, space));
    }

    private static String abbreviate(String data) {
        return data.length() <= 40 ? data : data.substring(0, 40) + "...";
    }

    /**
     * How clients are spread over sessions: in blocks, the first {@code clients % sessions} sessions
     * one client larger than the others.
     */
    record Layout(int clients, int sessions) {
        Layout {
            if (sessions < 1) throw new IllegalArgumentException("at least one session, not " + sessions);
            if (clients < 2 * sessions) {
                throw new IllegalArgumentException(clients + " clients cannot fill " + sessions + " sessions with at least 2 each");
            }
        }

        int size(int session) {
            return clients / sessions + (session < clients % sessions ? 1 : 0);
        }

        int first(int session) {
            int base = clients / sessions;
            return session * base + Math.min(session, clients % sessions);
        }

        int sessionOf(int client) {
            int base = clients / sessions;
            int larger = clients % sessions;
            int inLarger = larger * (base + 1);
            return client < inLarger ? client / (base + 1) : larger + (client - inLarger) / base;
        }
    }

    /**
     * What the check found.
     *
     * @param clientSends  sends of the clients
     * @param restSends    signals sent through the REST API
     * @param toEveryone   of all sends, those to everyone in a session
     * @param acknowledged sends that completed (a client's future, a REST 204)
     * @param failed       sends that failed, unknown outcomes included
     * @param unknown      of which whose delivery is unknown (DELIVERY_UNKNOWN, a REST call without answer)
     * @param pending      sends whose outcome never became known
     * @param failures     failed sends by reason
     * @param expected     deliveries that acknowledged sends owe: one per receiver they were addressed to
     * @param delivered    first deliveries made
     * @param lost         promised deliveries not made
     * @param doubled      deliveries beyond the first of a send to a client
     * @param reordered    deliveries after a later signal of the same stream to the same client
     * @param phantom      deliveries of sends that failed with a definite error
     * @param retryFailed  sends with retry after reconnect that failed
     * @param unexpected   received signals that no send explains
     * @param problems     the first {@link #MAX_PROBLEMS} problems in words
     */
    record Findings(long clientSends, long restSends, long toEveryone, long acknowledged, long failed, long unknown,
                    long pending, Map<String, Long> failures, long expected, long delivered, long lost, long doubled,
                    long reordered, long phantom, long retryFailed, long unexpected, List<String> problems) {
        Findings {
            failures = Map.copyOf(failures);
            problems = List.copyOf(problems);
        }

        long sent() {
            return clientSends + restSends;
        }

        /** Whether the contract held: nothing lost, doubled, reordered, phantom, unexpected, pending, and no retry failed. */
        boolean clean() {
            return lost == 0 && doubled == 0 && reordered == 0 && phantom == 0 && unexpected == 0 && pending == 0
                    && retryFailed == 0;
        }
    }

    /** One stream's sends: target and state by number; guarded by itself. */
    private static final class Stream {
        /** The target of a number never sent. */
        static final int NEVER = -2;

        /** Each send's target, by number - 1; grown by add(). */
        int[] targets = new int[64];
        /** Each send's outcome and retry bit, by number - 1; grown by add(), outcome set by settle(). */
        byte[] states = new byte[64];
        /** How many sends were made; also the number of the latest. */
        int count;
        /** How many have no outcome yet. */
        int pending;

        synchronized long add(int target, boolean retry) {
            if (count == targets.length) {
                targets = Arrays.copyOf(targets, count * 2);
                states = Arrays.copyOf(states, count * 2);
            }
            targets[count] = target;
            states[count] = (byte) (Outcome.PENDING.ordinal() | (retry ? RETRY : 0));
            pending++;
            return ++count;
        }

        synchronized void settle(long counter, Outcome outcome) {
            int i = (int) (counter - 1);
            if (i < 0 || i >= count) throw new IllegalArgumentException("no send numbered " + counter);
            if ((states[i] & OUTCOME_BITS) != Outcome.PENDING.ordinal()) {
                throw new IllegalStateException("send " + counter + " settled twice");
            }
            states[i] = (byte) ((states[i] & RETRY) | outcome.ordinal());
            pending--;
        }

        synchronized int target(long counter) {
            return counter < 1 || counter > count ? NEVER : targets[(int) (counter - 1)];
        }

        synchronized boolean addressedTo(long counter, int receiver) {
            int target = targets[(int) (counter - 1)];
            return target == EVERYONE || target == receiver;
        }

        synchronized int count() {
            return count;
        }

        synchronized Copy copy() {
            return new Copy(Arrays.copyOf(targets, count), Arrays.copyOf(states, count));
        }

        /** The sends as they are now. */
        record Copy(int[] targets, byte[] states) {}

        synchronized int pending() {
            return pending;
        }
    }

    /** What one client received, by local stream of its session; guarded by itself. */
    private static final class Receiver {
        /** The highest number received from each stream. */
        final long[] highest;
        /** The numbers addressed to this client and skipped, by stream; null while there are none. */
        final Set<Long>[] gaps;

        @SuppressWarnings("unchecked")
        Receiver(int streams) {
            this.highest = new long[streams];
            this.gaps = new Set[streams];
        }

        void gap(int local, long counter) {
            if (gaps[local] == null) gaps[local] = new HashSet<>();
            gaps[local].add(counter);
        }

        /** Removes a gap, when there is one: a late arrival. */
        boolean fill(int local, long counter) {
            Set<Long> set = gaps[local];
            if (set == null || !set.remove(counter)) return false;
            if (set.isEmpty()) gaps[local] = null;
            return true;
        }

        boolean isGap(int local, long counter) {
            return gaps[local] != null && gaps[local].contains(counter);
        }
    }
}

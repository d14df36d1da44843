package io.signalbox.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Judges a chaos run against the signaling contract. Given every send with the outcome of its future
 * and every signal each client received, in the order received, it counts what the contract forbids:
 * <ul>
 *   <li><b>lost</b>: a delivery that was promised and did not happen. A signal sent with retry after
 *       reconnect is promised to every receiver it was addressed to (the reconnection succeeds within
 *       the window, so it must complete and arrive); one sent without is promised once its future
 *       completed; a REST signal once the server answered it.</li>
 *   <li><b>duplicated</b>: a signal received more than once by the same client.</li>
 *   <li><b>reordered</b>: a signal received after one its sender sent later, by the same client.</li>
 *   <li><b>phantom</b>: a delivery of a signal whose future failed with a definite error such as
 *       {@code NOT_CONNECTED}, which says it was not delivered.</li>
 *   <li><b>retry failed</b>: a signal sent with retry after reconnect whose future failed.</li>
 *   <li><b>pending</b>: a future that never completed.</li>
 *   <li><b>unexpected</b>: a received signal that no send explains: unreadable data, an unknown tag,
 *       the wrong sender, the wrong receiver, or a wrong "direct" flag.</li>
 * </ul>
 * A signal that failed with {@code DELIVERY_UNKNOWN} may have arrived or not: neither counts, and it
 * is counted as unknown (with retry on it still counts as retry failed, and its missing deliveries as
 * lost, since a successful reconnection leaves no outcome unknown).
 *
 * <p>The senders are <i>streams</i>, numbered as their {@link SignalTag}s: each client is one (stream
 * {@code i} is client {@code i}), and a run may have REST streams after them, each the REST API's
 * signals into one session sent one call after another, which reach their receivers with no sender
 * connection. Order is judged per stream; "to everyone" means every client of the stream's session.
 * The lost, doubled and reordered deliveries are also kept one by one ({@link Incident}), with when
 * they were sent and received, so that a run can place them in its timeline.
 */
final class ChaosCheck {
    /** How many problems are described in words; the counts cover all of them. */
    static final int MAX_PROBLEMS = 25;
    /** How many incidents of each kind are kept; the counts cover all of them. */
    static final int MAX_INCIDENTS = 10_000;
    /** The error of a send that may have arrived or not. */
    static final String DELIVERY_UNKNOWN = "DELIVERY_UNKNOWN";

    private final Roster roster;

    /**
     * A check of one session of clients, each a stream, with no REST stream.
     *
     * @param connectionIds each client's connection id, by client index
     */
    ChaosCheck(List<String> connectionIds) {
        this(new Roster(connectionIds, connectionIds.stream().map(id -> 0).toList(), List.of()));
    }

    ChaosCheck(Roster roster) {
        this.roster = Objects.requireNonNull(roster, "roster");
    }

    /**
     * Who is who in a run.
     *
     * @param connectionIds each client's connection id, by client index
     * @param sessions      each client's session, by client index (any numbers; equal means the same session)
     * @param restSessions  the session of each REST stream, in the order of their stream numbers, which
     *                      come after the clients'
     */
    record Roster(List<String> connectionIds, List<Integer> sessions, List<Integer> restSessions) {
        Roster {
            connectionIds = List.copyOf(connectionIds);
            sessions = List.copyOf(sessions);
            restSessions = List.copyOf(restSessions);
            if (sessions.size() != connectionIds.size()) {
                throw new IllegalArgumentException(sessions.size() + " sessions for " + connectionIds.size() + " clients");
            }
        }

        int clients() {
            return connectionIds.size();
        }

        int streams() {
            return connectionIds.size() + restSessions.size();
        }

        int sessionOfStream(int stream) {
            return stream < clients() ? sessions.get(stream) : restSessions.get(stream - clients());
        }

        /** The connection a stream's signals come from: its client's, or null for a REST stream. */
        String fromOf(int stream) {
            return stream < clients() ? connectionIds.get(stream) : null;
        }

        boolean addressed(SendRecord send, int receiver) {
            return send.toEveryone() ? sessions.get(receiver) == sessionOfStream(send.tag().sender()) : send.target() == receiver;
        }
    }

    /**
     * One delivery that went wrong.
     *
     * @param send     the signal
     * @param receiver the receiving client's index
     * @param received the delivery that was doubled or came late; null for a lost one
     */
    record Incident(SendRecord send, int receiver, Received received) {
        Incident {
            Objects.requireNonNull(send, "send");
        }
    }

    /**
     * Judges a run.
     *
     * @param sends   every send of every client
     * @param inboxes what each client received, by client index, each in the order received
     */
    Findings check(List<SendRecord> sends, List<List<Received>> inboxes) {
        int clients = roster.clients();
        if (inboxes.size() != clients) {
            throw new IllegalArgumentException(inboxes.size() + " inboxes for " + clients + " clients");
        }
        Tally tally = new Tally();
        Map<SignalTag, SendRecord> byTag = new HashMap<>();
        for (SendRecord send : sends) {
            if (byTag.putIfAbsent(send.tag(), send) != null) {
                throw new IllegalArgumentException("two sends carry the tag " + send.tag());
            }
        }
        // How many times each send reached each receiver, by the receiver's index.
        Map<SignalTag, int[]> reached = new HashMap<>();
        // The highest counter received so far, by [stream][receiver], for order.
        long[][] highest = new long[roster.streams()][clients];

        for (int receiver = 0; receiver < clients; receiver++) {
            for (Received received : inboxes.get(receiver)) {
                SendRecord send = explain(received, receiver, byTag, tally);
                if (send == null) continue;
                SignalTag tag = send.tag();
                int[] times = reached.computeIfAbsent(tag, t -> new int[clients]);
                times[receiver]++;
                if (times[receiver] > 1) {
                    tally.duplicated++;
                    tally.incident(tally.doubledIncidents, new Incident(send, receiver, received));
                    tally.problem("c" + receiver + " received " + send.describe() + " " + times[receiver] + " times");
                } else if (tag.counter() < highest[tag.sender()][receiver]) {
                    tally.delivered++;
                    tally.reordered++;
                    tally.incident(tally.reorderedIncidents, new Incident(send, receiver, received));
                    tally.problem("c" + receiver + " received " + send.describe() + " after s" + tag.sender()
                            + "#" + highest[tag.sender()][receiver] + ", sent later");
                } else {
                    tally.delivered++;
                    highest[tag.sender()][receiver] = tag.counter();
                }
            }
        }

        tally.lostAfterAckAt = new long[clients];
        for (SendRecord send : sends) {
            judge(send, reached.getOrDefault(send.tag(), new int[clients]), tally);
        }
        return tally.findings();
    }

    /** The send that explains a received signal, or null (counted as unexpected) when none does. */
    private SendRecord explain(Received received, int receiver, Map<SignalTag, SendRecord> byTag, Tally tally) {
        SignalTag tag = SignalTag.parse(received.data());
        SendRecord send = tag == null ? null : byTag.get(tag);
        String wrong = null;
        if (send == null) {
            wrong = "'" + received.data() + "', which no sender of the run sent";
        } else if (!Objects.equals(received.fromId(), roster.fromOf(tag.sender()))) {
            wrong = send.describe() + " from " + received.fromId() + ", not from "
                    + (roster.fromOf(tag.sender()) == null ? "the REST API" : "its sender's connection " + roster.fromOf(tag.sender()));
        } else if (!roster.addressed(send, receiver)) {
            wrong = send.describe() + (send.toEveryone() ? ", sent into another session" : ", addressed to another client");
        } else if (received.direct() == send.toEveryone()) {
            wrong = send.describe() + " marked " + (received.direct() ? "direct" : "to everyone");
        }
        if (wrong == null) return send;
        tally.unexpected++;
        tally.problem("c" + receiver + " received " + wrong);
        return null;
    }

    /** Counts one send's outcome against the deliveries it had. */
    private void judge(SendRecord send, int[] times, Tally tally) {
        tally.sent++;
        if (send.toEveryone()) tally.toEveryone++; else tally.toOne++;
        if (send.tag().retry()) tally.retryOn++; else tally.retryOff++;

        List<Integer> missing = new ArrayList<>();
        int reachedCount = 0;
        for (int receiver = 0; receiver < times.length; receiver++) {
            if (times[receiver] > 0) reachedCount++;
            else if (roster.addressed(send, receiver)) missing.add(receiver);
        }

        boolean promised;
        switch (send.outcome()) {
            case PENDING -> {
                tally.pending++;
                tally.problem(send.describe() + ": its future never completed");
                return;
            }
            case ACKNOWLEDGED -> {
                tally.acknowledged++;
                promised = true;
            }
            case FAILED -> {
                tally.failed++;
                tally.failures.merge(send.error(), 1L, Long::sum);
                boolean unknown = DELIVERY_UNKNOWN.equals(send.error());
                if (unknown) tally.unknown++;
                if (send.tag().retry()) {
                    tally.retryFailed++;
                    tally.problem(send.describe() + ": sent with retry after reconnect, yet it failed");
                }
                if (!unknown && reachedCount > 0) {
                    tally.phantom += reachedCount;
                    tally.problem(send.describe() + ": failed, yet delivered " + reachedCount + " time(s)");
                }
                promised = send.tag().retry();
            }
            default -> throw new AssertionError(send.outcome());
        }
        if (promised && !missing.isEmpty()) {
            tally.lost += missing.size();
            for (int receiver : missing) tally.incident(tally.lostIncidents, new Incident(send, receiver, null));
            if (send.outcome() == SendRecord.Outcome.ACKNOWLEDGED) {
                for (int receiver : missing) tally.lostAfterAckAt[receiver]++;
            }
            tally.problem(send.describe() + ": never reached " + names(missing));
        }
    }

    private static String names(List<Integer> clients) {
        StringBuilder names = new StringBuilder();
        for (int client : clients) names.append(names.isEmpty() ? "" : ", ").append('c').append(client);
        return names.toString();
    }

    /**
     * What a check found.
     *
     * @param sent         sends made
     * @param toEveryone   of which to everyone
     * @param toOne        of which to one client
     * @param retryOn      of which with retry after reconnect
     * @param retryOff     of which without
     * @param acknowledged sends whose future completed
     * @param failed       sends whose future failed
     * @param pending      sends whose future never completed
     * @param failures     failed sends by error code (or exception class), sorted by name
     * @param delivered    first deliveries: a send reaching one client counts once, however often
     * @param lost         promised deliveries that did not happen
     * @param duplicated   deliveries beyond the first of a send to a client
     * @param reordered    deliveries after a later signal of the same sender to the same client
     * @param phantom      deliveries of sends that failed with a definite error
     * @param retryFailed  sends with retry after reconnect whose future failed
     * @param unknown      sends that failed with {@code DELIVERY_UNKNOWN}
     * @param unexpected   received signals that no send explains
     * @param lostAfterAckAt by receiver index, the lost deliveries of signals the server acknowledged:
     *                     what a receiver's {@code onSignalsMissed} may account for
     * @param problems     the first {@link #MAX_PROBLEMS} problems, in words
     * @param incidents    the first {@link #MAX_INCIDENTS} lost, doubled and reordered deliveries, one by one
     */
    record Findings(long sent, long toEveryone, long toOne, long retryOn, long retryOff,
                    long acknowledged, long failed, long pending, Map<String, Long> failures,
                    long delivered, long lost, long duplicated, long reordered, long phantom,
                    long retryFailed, long unknown, long unexpected, List<Long> lostAfterAckAt,
                    List<String> problems, Incidents incidents) {
        Findings {
            Objects.requireNonNull(incidents, "incidents");
            lostAfterAckAt = List.copyOf(lostAfterAckAt);
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
            problems = List.copyOf(problems);
        }
    }

    /**
     * The deliveries that went wrong, one by one, each list in the order found, up to
     * {@link #MAX_INCIDENTS} each.
     */
    record Incidents(List<Incident> lost, List<Incident> doubled, List<Incident> reordered) {
        Incidents {
            lost = List.copyOf(lost);
            doubled = List.copyOf(doubled);
            reordered = List.copyOf(reordered);
        }
    }

    /** The counts while checking; one per check, on one thread. */
    private static final class Tally {
        /** The counts of {@link Findings}, each as documented there; raised by check(). */
        long sent, toEveryone, toOne, retryOn, retryOff, acknowledged, failed, pending;
        long delivered, lost, duplicated, reordered, phantom, retryFailed, unknown, unexpected;
        /** By receiver, the lost deliveries of acknowledged signals; made by check(), raised by judge(). */
        long[] lostAfterAckAt = new long[0];
        /** Failed sends by error, sorted so that the table reads the same each run. */
        final Map<String, Long> failures = new TreeMap<>();
        /** The first problems in words. */
        final List<String> problems = new ArrayList<>();
        /** The first incidents of each kind. */
        final List<Incident> lostIncidents = new ArrayList<>();
        final List<Incident> doubledIncidents = new ArrayList<>();
        final List<Incident> reorderedIncidents = new ArrayList<>();
        /** How many problems there were in all, described or not. */
        long problemCount;

        void incident(List<Incident> kind, Incident incident) {
            if (kind.size() < MAX_INCIDENTS) kind.add(incident);
        }

        void problem(String problem) {
            problemCount++;
            if (problems.size() < MAX_PROBLEMS) problems.add(problem);
        }

        Findings findings() {
            List<String> described = new ArrayList<>(problems);
            if (problemCount > problems.size()) described.add("... and " + (problemCount - problems.size()) + " more");
            return new Findings(sent, toEveryone, toOne, retryOn, retryOff, acknowledged, failed, pending,
                    failures, delivered, lost, duplicated, reordered, phantom, retryFailed,
                    unknown, unexpected, Arrays.stream(lostAfterAckAt).boxed().toList(), described,
                    new Incidents(lostIncidents, doubledIncidents, reorderedIncidents));
        }
    }
}

package io.signalbox.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link ClusterChaosRun} did and found. Deliveries are counted per (signal, receiver). Times
 * in the findings are relative to the kill: {@code -0.2 s} is before it, {@code +3.1 s} after. They are
 * when the run's threads heard of each event: a listener that lags (a machine under load) hears late.
 *
 * @param seed     the seed of every random choice of the run
 * @param setup    the cluster, the clients and the kill
 * @param totals   the sends, their outcomes and every delivery, judged
 * @param clients  each client: where it was, where it ended, what it heard
 * @param lost     the first lost deliveries, one by one (the count is in the totals)
 * @param doubled  the first deliveries of a signal to a client beyond its first
 * @param reordered the first deliveries that came after a later signal of the same sender
 * @param problems the first problems found, in words, for a person to start from
 * @param elapsed  how long the run took, from starting Redis to the last check
 */
public record ClusterChaosReport(long seed, Setup setup, Totals totals, List<ClientLine> clients, List<Finding> lost,
                                 List<Finding> doubled, List<Finding> reordered, List<String> problems,
                                 Duration elapsed) {

    /** How many findings of each kind the table shows one by one. */
    private static final int SHOWN = 20;

    public ClusterChaosReport {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(elapsed, "elapsed");
        clients = List.copyOf(clients);
        lost = List.copyOf(lost);
        doubled = List.copyOf(doubled);
        reordered = List.copyOf(reordered);
        problems = List.copyOf(problems);
    }

    /**
     * The run's shape.
     *
     * @param nodes       server processes sharing one Redis
     * @param sessions    signaling sessions, their clients spread over every node
     * @param clients     SDK clients, each given every node's URL
     * @param killedNode  the node killed (SIGKILL), by number from 1
     * @param killedAt    when, from the start of the traffic
     * @param traffic     how long the traffic ran
     * @param drops       links broken through the proxies
     * @param dropsByKind the drops by kind
     */
    public record Setup(int nodes, int sessions, int clients, int killedNode, Duration killedAt, Duration traffic,
                        int drops, Map<DropKind, Integer> dropsByKind) {
        public Setup {
            Objects.requireNonNull(killedAt, "killedAt");
            Objects.requireNonNull(traffic, "traffic");
            dropsByKind = dropsByKind.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(dropsByKind));
        }
    }

    /**
     * The sends and deliveries, judged as {@link ChaosCheck} does.
     *
     * @param clientSends   sends of the clients (their last signals included)
     * @param restSends     calls of the REST streams
     * @param acknowledged  sends acknowledged (a client's future completed, a REST call answered 204)
     * @param failures      failed sends by error: an SDK error code, {@code REST HTTP n}, or
     *                      {@code DELIVERY_UNKNOWN} (no answer: delivered or not, both allowed)
     * @param pending       sends whose outcome never became known
     * @param delivered     first deliveries
     * @param lost          deliveries promised and not made
     * @param duplicated    deliveries beyond the first of a signal to a client
     * @param reordered     deliveries after a later signal of the same sender, at the same client
     * @param phantom       deliveries of sends that failed with a definite error
     * @param retryFailed   signals sent with retry after reconnect whose future failed
     * @param unexpected    received signals no send explains
     * @param missed        signals the SDK reported missed (onSignalsMissed)
     * @param disconnected  sessions that ended without being asked to
     * @param errors        errors the SDK reported through onError
     */
    public record Totals(long clientSends, long restSends, long acknowledged, Map<String, Long> failures, long pending,
                         long delivered, long lost, long duplicated, long reordered, long phantom, long retryFailed,
                         long unexpected, long missed, int disconnected, long errors) {
        public Totals {
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        }

        public long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One client.
     *
     * @param index            its index in the run, from 0
     * @param session          its session, by number from 0
     * @param connectionId     its connection id at the join
     * @param sameConnection   whether it had the same connection id at the end
     * @param homeNode         the node it joined on, by number from 1
     * @param endNode          the node it was on at the end, by number from 1; 0 when its proxies did not tell
     * @param reconnections    reconnections it began
     * @param lostAfterKill    for a client of the killed node, when it noticed, from the kill; else null
     * @param resumedAfterKill for a client of the killed node, when it was back, from the kill; else null
     * @param replayed         signals the server replayed to it at its resumes
     * @param membership       what it heard of the others beyond their first join: every leave, every join
     *                         again (with their reason and connection id)
     * @param away             every reconnection it completed, in order
     */
    public record ClientLine(int index, int session, String connectionId, boolean sameConnection, int homeNode,
                             int endNode, int reconnections, Duration lostAfterKill, Duration resumedAfterKill,
                             long replayed, List<String> membership, List<Away> away) {
        public ClientLine {
            Objects.requireNonNull(connectionId, "connectionId");
            membership = List.copyOf(membership);
            away = List.copyOf(away);
        }

        /** Whether it was on the node that was killed. */
        public boolean onKilledNode(int killedNode) {
            return homeNode == killedNode;
        }

        /** Whether it resumed on another node than its first, after the kill, with its connection id. */
        public boolean resumedElsewhere() {
            return resumedAfterKill != null && endNode > 0 && endNode != homeNode && sameConnection;
        }
    }

    /**
     * One reconnection of a client.
     *
     * @param from     when it noticed the loss (onReconnecting), from the kill
     * @param to       when it was back (onReconnected), from the kill
     * @param node     the node it was back on, by number from 1; 0 when its proxies did not tell
     * @param replayed signals the server replayed to it then
     * @param resent   signals in flight at the loss, not acknowledged, that it sent again
     * @param queued   signals it queued while away and sent then
     */
    public record Away(Duration from, Duration to, int node, int replayed, int resent, int queued) {
        public Away {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String toString() {
            return offset(from) + " to " + offset(to) + " (back on node " + (node > 0 ? Integer.toString(node) : "?")
                    + "; " + replayed + " replayed to it, " + resent + " resent, " + queued + " queued and sent)";
        }
    }

    /**
     * One delivery that went wrong.
     *
     * @param signal       the signal's tag, e.g. {@code s3#1042#r}
     * @param sender       who sent it: {@code c3}, or {@code REST via node 2}
     * @param addressee    {@code everyone}, or the one client it was addressed to
     * @param outcome      how its send ended: {@code acknowledged}, {@code failed NOT_CONNECTED}, ...
     * @param receiver     the receiving client's index
     * @param receiverHome the node the receiver joined on, by number from 1
     * @param sentAt       when the sender sent it, from the kill
     * @param queuedUntil  when it left its sender, from the kill, if the sender was reconnecting when it sent
     *                     it (the SDK queued it until it was back); else null
     * @param acknowledgedAt when the sender heard it was acknowledged (a client's ack, a REST call's 204),
     *                     from the kill: the server acknowledges once it has routed a signal, so this is
     *                     the nearest the run can tell of when it was routed; null when not acknowledged
     * @param receivedAt   when it was received (the double, the late one), from the kill; null for a lost one
     * @param receiverAway whether it was routed while the receiver was reconnecting
     */
    public record Finding(String signal, String sender, String addressee, String outcome, int receiver, int receiverHome,
                          Duration sentAt, Duration queuedUntil, Duration acknowledgedAt, Duration receivedAt,
                          boolean receiverAway) {
        public Finding {
            Objects.requireNonNull(signal, "signal");
            Objects.requireNonNull(sentAt, "sentAt");
        }

        /**
         * When the server had it, as near as the run can tell, from the kill: its acknowledgement; else
         * when it left its sender (when it was sent, or when its queue was sent).
         */
        public Duration routedAt() {
            return acknowledgedAt != null ? acknowledgedAt : queuedUntil != null ? queuedUntil : sentAt;
        }

        /** The finding in a line. */
        public String describe() {
            return signal + " (" + sender + " to " + addressee + ", " + outcome + ") at c" + receiver
                    + " (node " + receiverHome + "): sent " + offset(sentAt)
                    + (queuedUntil == null ? "" : ", queued until " + offset(queuedUntil))
                    + (acknowledgedAt == null ? "" : ", acknowledged " + offset(acknowledgedAt))
                    + (receivedAt == null ? "" : ", received " + offset(receivedAt))
                    + (receiverAway ? ", while c" + receiver + " was reconnecting" : "");
        }
    }

    /** The clients of the killed node. */
    public List<ClientLine> killedNodeClients() {
        return clients.stream().filter(c -> c.onKilledNode(setup.killedNode())).toList();
    }

    /** What the clients heard of the others beyond their first join, over all of them. */
    public long membershipEvents() {
        return clients.stream().mapToLong(c -> c.membership().size()).sum();
    }

    /**
     * Whether the cluster kept the contract through the kill: every client of the killed node resumed
     * on another node with its connection id, nobody heard a leave or a second join, and nothing was
     * lost, doubled, reordered, pending, phantom or unexpected; no retried send failed, nothing was
     * reported missed, no session ended and no SDK error was reported.
     */
    public boolean clean() {
        return totals.clientSends() > 0 && totals.restSends() > 0 && !killedNodeClients().isEmpty()
                && killedNodeClients().stream().allMatch(ClientLine::resumedElsewhere)
                && clients.stream().allMatch(ClientLine::sameConnection)
                && membershipEvents() == 0 && totals.lost() == 0 && totals.duplicated() == 0
                && totals.reordered() == 0 && totals.pending() == 0 && totals.phantom() == 0
                && totals.retryFailed() == 0 && totals.unexpected() == 0 && totals.missed() == 0
                && totals.disconnected() == 0 && totals.errors() == 0;
    }

    /** The report for a person: totals, the clients, the findings one by one, the verdict. */
    public String table() {
        StringBuilder out = new StringBuilder();
        row(out, "seed", Long.toString(seed), "");
        row(out, "cluster", setup.nodes() + " nodes", setup.sessions() + " session(s), " + setup.clients() + " clients");
        row(out, "killed", "node " + setup.killedNode(), "SIGKILL at " + seconds(setup.killedAt())
                + " of " + seconds(setup.traffic()) + " of traffic; " + killedNodeClients().size() + " clients on it");
        row(out, "drops", Integer.toString(setup.drops()), kinds());
        row(out, "elapsed", seconds(elapsed), "");
        row(out, "sent", Long.toString(totals.clientSends() + totals.restSends()),
                totals.clientSends() + " by clients, " + totals.restSends() + " through REST");
        row(out, "acknowledged", Long.toString(totals.acknowledged()), "");
        row(out, "failed", Long.toString(totals.failed()), totals.failures().isEmpty() ? "" : totals.failures().toString());
        row(out, "pending", Long.toString(totals.pending()), "outcome never known");
        row(out, "delivered", Long.toString(totals.delivered()), "(signal, receiver) pairs");
        row(out, "lost", Long.toString(totals.lost()), "promised deliveries that never happened" + lostWhere());
        row(out, "doubled", Long.toString(totals.duplicated()), "");
        row(out, "reordered", Long.toString(totals.reordered()), "per sender");
        row(out, "phantom", Long.toString(totals.phantom()), "delivered although the send failed");
        row(out, "retry failed", Long.toString(totals.retryFailed()), "sent with retry, yet failed");
        row(out, "unexpected", Long.toString(totals.unexpected()), "received, explained by no send");
        row(out, "missed", Long.toString(totals.missed()), "reported by onSignalsMissed");
        row(out, "left/joined", Long.toString(membershipEvents()), "leaves and second joins heard");
        row(out, "disconnected", Integer.toString(totals.disconnected()), "sessions ended unasked");
        row(out, "SDK errors", Long.toString(totals.errors()), "reported through onError");
        row(out, "verdict", clean() ? "clean" : "NOT CLEAN", "");

        out.append("\nclient  session  node  end  resumed elsewhere        reconnections  replayed  connection\n");
        for (ClientLine c : clients) {
            String resumed = !c.onKilledNode(setup.killedNode()) ? "-"
                    : c.resumedElsewhere() ? "yes, at " + offset(c.resumedAfterKill())
                    : c.resumedAfterKill() == null ? "NO: never back" : "NO: back on node " + c.endNode();
            out.append(String.format(Locale.ROOT, "c%-6d %7d  %4d  %3s  %-24s %13d  %8d  %s%s%n", c.index(), c.session(),
                    c.homeNode(), c.endNode() > 0 ? Integer.toString(c.endNode()) : "?", resumed, c.reconnections(),
                    c.replayed(), c.connectionId(), c.sameConnection() ? "" : " (CHANGED)"));
            for (Away away : c.away()) out.append("        away ").append(away).append('\n');
            for (String heard : c.membership()) out.append("        heard ").append(heard).append('\n');
        }

        if (!lost.isEmpty()) {
            out.append("\nlost, by receiver:\n");
            lostByReceiver(out);
        }
        List<Finding> lostElsewhere = lost.stream().filter(f -> f.receiverHome() != setup.killedNode()).toList();
        shown(out, "lost at clients of the nodes that lived", lostElsewhere, lostElsewhere.size());
        shown(out, "lost", lost, totals.lost());
        shown(out, "doubled", doubled, totals.duplicated());
        shown(out, "reordered", reordered, totals.reordered());
        if (!problems.isEmpty()) {
            out.append("\nproblems:\n");
            for (String problem : problems) out.append("  - ").append(problem).append('\n');
        }
        return out.toString();
    }

    /**
     * Every lost, doubled and reordered delivery kept, one a line, by kind and then by when it left its
     * sender: the evidence behind the table.
     */
    public String findingsText() {
        StringBuilder out = new StringBuilder();
        for (var kind : List.of(Map.entry("lost", lost), Map.entry("doubled", doubled), Map.entry("reordered", reordered))) {
            kind.getValue().stream().sorted(Comparator.comparing(Finding::routedAt))
                    .forEach(f -> out.append(kind.getKey()).append(' ').append(f.describe()).append('\n'));
        }
        return out.toString();
    }

    /** Of the lost deliveries listed, how many were to the killed node's clients. */
    private String lostWhere() {
        if (lost.isEmpty()) return "";
        long killedNode = lost.stream().filter(f -> f.receiverHome() == setup.killedNode()).count();
        return "; " + killedNode + " to clients of the killed node, " + (lost.size() - killedNode) + " to others"
                + (lost.size() < totals.lost() ? " (of the " + lost.size() + " listed)" : "");
    }

    /**
     * One line per receiver of lost deliveries: how many, routed when (how many before the kill), how
     * many while it was reconnecting, and when it was back.
     */
    private void lostByReceiver(StringBuilder out) {
        Map<Integer, List<Finding>> byReceiver = new LinkedHashMap<>();
        for (Finding finding : lost) byReceiver.computeIfAbsent(finding.receiver(), r -> new ArrayList<>()).add(finding);
        byReceiver.forEach((receiver, findings) -> {
            Duration first = findings.stream().map(Finding::routedAt).min(Duration::compareTo).orElseThrow();
            Duration last = findings.stream().map(Finding::routedAt).max(Duration::compareTo).orElseThrow();
            long away = findings.stream().filter(Finding::receiverAway).count();
            long before = findings.stream().filter(f -> f.routedAt().isNegative()).count();
            ClientLine line = clients.get(receiver);
            out.append(String.format(Locale.ROOT, "  c%d (node %d%s): %d lost, routed from %s to %s (%d before the kill),"
                            + " %d while it was reconnecting%s%n", receiver, line.homeNode(),
                    line.onKilledNode(setup.killedNode()) ? ", killed" : "", findings.size(), offset(first), offset(last),
                    before, away, line.resumedAfterKill() == null ? ""
                            : "; it noticed at " + offset(line.lostAfterKill()) + ", was back at " + offset(line.resumedAfterKill())));
        });
    }

    /** The first findings of a kind by when they were routed, the earliest being the most telling. */
    private static void shown(StringBuilder out, String kind, List<Finding> findings, long count) {
        if (findings.isEmpty()) return;
        List<Finding> earliest = findings.stream().sorted(Comparator.comparing(Finding::routedAt)).limit(SHOWN).toList();
        out.append('\n').append(kind).append(" (the ").append(earliest.size()).append(" routed first, of ")
                .append(count).append("):\n");
        for (Finding finding : earliest) out.append("  - ").append(finding.describe()).append('\n');
    }

    private String kinds() {
        StringBuilder kinds = new StringBuilder();
        setup.dropsByKind().forEach((kind, count) ->
                kinds.append(kinds.isEmpty() ? "" : ", ").append(count).append(' ').append(kind.label()));
        return kinds.toString();
    }

    private static void row(StringBuilder table, String name, String value, String note) {
        table.append(String.format(Locale.ROOT, "%-14s %12s", name, value));
        if (!note.isEmpty()) table.append("   ").append(note);
        table.append('\n');
    }

    /** A time from the kill, signed: {@code +3.104 s}, {@code -0.020 s}. */
    static String offset(Duration fromKill) {
        return String.format(Locale.ROOT, "%+.3f s", fromKill.toNanos() / 1e9);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }
}

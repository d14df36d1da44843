package io.signalbox.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link ChaosRun} did and found. The counts of deliveries are per (signal, receiver): a
 * signal to everyone in a session of five clients is five deliveries.
 *
 * @param seed            the seed of every random choice of the run
 * @param clients         how many clients took part
 * @param drops           how many links the run broke
 * @param sent            sends made (every client's last signal included)
 * @param delivered       first deliveries: a signal reaching a client counts once, however often
 * @param failed          sends whose future failed
 * @param lost            deliveries the contract promised that did not happen: to every addressee of a
 *                        signal sent with retry after reconnect, and of one without whose future completed
 * @param duplicated      deliveries beyond the first of a signal to a client
 * @param reordered       deliveries after a later signal of the same sender, at the same client
 * @param pending         sends whose future had not completed when the run gave up waiting
 * @param reconnectMedian the median time from onReconnecting to onReconnected, over all clients
 * @param reconnectWorst  the longest such time
 * @param dropsRequested  how many drops were asked for; more than {@code drops} when time ran out
 * @param dropsByKind     the drops by kind
 * @param sends           what the sends were like
 * @param acknowledged    sends whose future completed
 * @param failures        failed sends by error code, or exception class for a failure without one
 * @param phantom         deliveries of signals whose future failed with a definite error (not
 *                        {@code DELIVERY_UNKNOWN}), which says they were not delivered
 * @param retryFailed     signals sent with retry after reconnect whose future failed
 * @param unknown         sends that failed with {@code DELIVERY_UNKNOWN}: delivered or not, both allowed
 * @param unexpected      received signals no send explains (unknown data, wrong sender, wrong receiver,
 *                        wrong direct flag)
 * @param missed          signals the SDK reported missed through onSignalsMissed
 * @param unreported      of the lost deliveries of signals the server acknowledged, those beyond what
 *                        their receivers were told they missed: losses nobody was told of
 * @param reconnections   reconnections begun (onReconnecting)
 * @param disconnections  sessions that ended without being asked to (onDisconnected other than
 *                        CLIENT_DISCONNECTED), such as a reconnection given up
 * @param errors          errors the SDK reported through onError
 * @param resumed         what the reconnections reported through onResumed, summed
 * @param elapsed         how long the run took, from the first connect to the last check
 * @param problems        the first problems found, in words, for a person to start from
 */
public record ChaosReport(long seed, int clients, int drops, long sent, long delivered, long failed, long lost,
                          long duplicated, long reordered, long pending, Duration reconnectMedian,
                          Duration reconnectWorst, int dropsRequested, Map<DropKind, Integer> dropsByKind,
                          Sends sends, long acknowledged, Map<String, Long> failures, long phantom,
                          long retryFailed, long unknown, long unexpected, long missed, long unreported,
                          int reconnections,
                          int disconnections, long errors, Resumed resumed, Duration elapsed,
                          List<String> problems) {

    public ChaosReport {
        Objects.requireNonNull(reconnectMedian, "reconnectMedian");
        Objects.requireNonNull(reconnectWorst, "reconnectWorst");
        Objects.requireNonNull(sends, "sends");
        Objects.requireNonNull(resumed, "resumed");
        Objects.requireNonNull(elapsed, "elapsed");
        dropsByKind = dropsByKind.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(dropsByKind));
        failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        problems = List.copyOf(problems);
    }

    /**
     * What the sends were like, to show that the run exercised both addressings and both retry
     * settings.
     *
     * @param toEveryone sends to everyone
     * @param toOne      sends to one other client
     * @param retryOn    sends with retry after reconnect
     * @param retryOff   sends without
     */
    public record Sends(long toEveryone, long toOne, long retryOn, long retryOff) {}

    /**
     * What the reconnections did, summed over {@link io.signalbox.client.Resumption}s.
     *
     * @param resent     signals in flight at a drop, sent again
     * @param queuedSent signals queued while reconnecting, sent after
     * @param replayed   signals the server kept for a client while it was away and replayed
     */
    public record Resumed(long resent, long queuedSent, long replayed) {}

    /**
     * Whether the run found nothing the contract forbids: nothing lost, duplicated, reordered,
     * pending, phantom or unexpected, no retried signal failed, no signal reported missed, no session
     * ended unasked and no error reported.
     */
    public boolean clean() {
        return sent > 0 && lost == 0 && duplicated == 0 && reordered == 0 && pending == 0 && phantom == 0
                && retryFailed == 0 && unexpected == 0 && missed == 0 && disconnections == 0 && errors == 0;
    }

    /** The totals as a table for a person, one line each, ending with the verdict. */
    public String table() {
        StringBuilder table = new StringBuilder();
        row(table, "seed", Long.toString(seed), "");
        row(table, "clients", Integer.toString(clients), "");
        row(table, "drops", Integer.toString(drops), (drops < dropsRequested ? "of " + dropsRequested
                + " asked (time ran out); " : "") + kinds());
        row(table, "elapsed", millis(elapsed), "");
        row(table, "sent", Long.toString(sent), sends.toEveryone() + " to everyone, " + sends.toOne()
                + " to one; " + sends.retryOn() + " with retry, " + sends.retryOff() + " without");
        row(table, "acknowledged", Long.toString(acknowledged), "");
        row(table, "failed", Long.toString(failed), failures.isEmpty() ? "" : failures.toString());
        row(table, "pending", Long.toString(pending), "futures never completed");
        row(table, "delivered", Long.toString(delivered), "(signal, receiver) pairs");
        row(table, "lost", Long.toString(lost), "promised deliveries that never happened"
                + (lost == 0 ? "" : "; " + unreported + " of them acknowledged and not reported missed"));
        row(table, "duplicated", Long.toString(duplicated), "");
        row(table, "reordered", Long.toString(reordered), "");
        row(table, "phantom", Long.toString(phantom), "delivered although the send failed");
        row(table, "retry failed", Long.toString(retryFailed), "sent with retry, yet failed");
        row(table, "unknown", Long.toString(unknown), "DELIVERY_UNKNOWN: delivered or not, both allowed");
        row(table, "unexpected", Long.toString(unexpected), "received, explained by no send");
        row(table, "missed", Long.toString(missed), "reported by onSignalsMissed");
        row(table, "reconnections", Integer.toString(reconnections), "resent " + resumed.resent()
                + ", queued and sent " + resumed.queuedSent() + ", replayed " + resumed.replayed());
        row(table, "reconnect", "median " + millis(reconnectMedian), "worst " + millis(reconnectWorst));
        row(table, "disconnected", Integer.toString(disconnections), "sessions ended unasked");
        row(table, "SDK errors", Long.toString(errors), "reported through onError");
        row(table, "verdict", clean() ? "clean" : "NOT CLEAN", "");
        for (String problem : problems) table.append("  - ").append(problem).append('\n');
        return table.toString();
    }

    private String kinds() {
        StringBuilder kinds = new StringBuilder();
        dropsByKind.forEach((kind, count) ->
                kinds.append(kinds.isEmpty() ? "" : ", ").append(count).append(' ').append(kind.label()));
        return kinds.toString();
    }

    private static void row(StringBuilder table, String name, String value, String note) {
        table.append(String.format("%-14s %12s", name, value));
        if (!note.isEmpty()) table.append("   ").append(note);
        table.append('\n');
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}

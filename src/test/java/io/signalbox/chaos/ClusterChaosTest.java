package io.signalbox.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.signalbox.chaos.SendRecord.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out through a node's death under load: three server processes on one real Redis, SDK clients
 * of two sessions spread over them, each given all three URLs, signals to everyone and to one, REST
 * signals through every node, random link drops; one node killed outright (SIGKILL) in the middle.
 * Then the checker's handling of sessions and REST streams, on made-up records.
 *
 * <p>The seed is new each run and printed, with the node killed; repeat a run with
 * {@code -Dsignalbox.chaos.seed=S}. The nodes' logs and every finding ({@code findings.txt}) go to
 * {@code target/cluster-logs/chaos-SEED}.
 */
class ClusterChaosTest {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("a node killed mid-run: its clients resume on the other nodes with their connection ids, nobody hears"
            + " them leave, and no signal is lost, doubled or reordered")
    void nodeKilledMidRun() throws IOException {
        long seed = Long.getLong("signalbox.chaos.seed", new SplittableRandom().nextLong());
        Path logs = Path.of("target", "cluster-logs", "chaos-" + seed);
        ClusterChaosRun.Options options = ClusterChaosRun.Options.defaults()
                .withClients(8, 2)
                .withTraffic(Duration.ofSeconds(12), Duration.ofSeconds(3))
                .withDrops(12)
                .withSendInterval(Duration.ofMillis(25))
                .withRestInterval(Duration.ofMillis(50))
                .withReconnectWindow(Duration.ofSeconds(30))
                .withSettleTimeout(Duration.ofSeconds(30))
                .withNodeLogs(logs)
                .withSeed(seed);

        ClusterChaosReport report = new ClusterChaosRun(options, System.out::println).run();
        System.out.print(report.table());
        Files.writeString(logs.resolve("findings.txt"), report.findingsText());

        String seen = " (seed " + seed + ", node " + report.setup().killedNode() + " killed; the table is on standard"
                + " output and below, every finding in " + logs.resolve("findings.txt") + ")\n" + report.table();
        ClusterChaosReport.Totals totals = report.totals();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(report.killedNodeClients()).as("clients on the node killed" + seen).isNotEmpty();
        softly.assertThat(report.setup().drops()).as("links broken through the proxies" + seen).isPositive();
        softly.assertThat(totals.clientSends()).as("signals sent by clients" + seen).isPositive();
        softly.assertThat(totals.restSends()).as("signals sent through REST" + seen).isPositive();
        softly.assertThat(totals.delivered()).as("deliveries" + seen).isPositive();

        for (ClusterChaosReport.ClientLine client : report.killedNodeClients()) {
            softly.assertThat(client.resumedAfterKill()).as("c" + client.index() + " of the killed node came back" + seen)
                    .isNotNull();
            softly.assertThat(client.endNode()).as("c" + client.index() + " ended on another node" + seen)
                    .isPositive().isNotEqualTo(client.homeNode());
        }
        for (ClusterChaosReport.ClientLine client : report.clients()) {
            softly.assertThat(client.sameConnection()).as("c" + client.index() + " kept its connection id" + seen).isTrue();
            softly.assertThat(client.membership())
                    .as("what c" + client.index() + " heard of others leaving or joining again: no one left, not even"
                            + " the killed node's clients" + seen).isEmpty();
        }

        softly.assertThat(totals.disconnected()).as("sessions that ended instead of resuming" + seen).isZero();
        softly.assertThat(totals.pending()).as("sends whose outcome never became known" + seen).isZero();
        softly.assertThat(totals.lost())
                .as("promised deliveries that never happened (client signals with retry: to every addressee;"
                        + " without: once acknowledged; REST: once answered 204)" + seen).isZero();
        softly.assertThat(totals.duplicated()).as("signals a client received more than once" + seen).isZero();
        softly.assertThat(totals.reordered())
                .as("signals a client received after a later one of the same sender" + seen).isZero();
        softly.assertThat(totals.phantom()).as("deliveries of sends that failed with a definite error" + seen).isZero();
        softly.assertThat(totals.retryFailed()).as("signals sent with retry whose future failed" + seen).isZero();
        softly.assertThat(totals.unexpected()).as("received signals no send explains" + seen).isZero();
        softly.assertThat(totals.missed()).as("signals the SDK reported missed" + seen).isZero();
        softly.assertThat(totals.errors()).as("errors the SDK reported through onError" + seen).isZero();
        softly.assertThat(totals.failures().keySet())
                .as("failures: NOT_CONNECTED (retry off, while reconnecting), and for the REST call in flight into"
                        + " the killed node, no answer (DELIVERY_UNKNOWN) or a refused connection" + seen)
                .isSubsetOf(Set.of("NOT_CONNECTED", ChaosCheck.DELIVERY_UNKNOWN, "REST ConnectException"));
        softly.assertThat(report.clean()).as("the run is clean" + seen).isTrue();
        softly.assertAll();
    }

    /** The checker with two sessions and REST streams, on records made up to show one property each. */
    @Nested
    @DisplayName("the chaos checker, across sessions and REST streams")
    class Checker {
        // Clients 0 and 1 in session 0, client 2 in session 1; stream 3 is REST into session 0, stream 4 into session 1.
        private final ChaosCheck check = new ChaosCheck(new ChaosCheck.Roster(List.of("A", "B", "C"), List.of(0, 0, 1),
                List.of(0, 1)));
        private final List<SendRecord> sends = new ArrayList<>();
        private final List<List<Received>> inboxes = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        private SignalTag send(int stream, long counter, int target, Outcome outcome, String error) {
            SignalTag tag = new SignalTag(stream, counter, false);
            sends.add(new SendRecord(tag, target, outcome, error, sends.size(),
                    outcome == Outcome.PENDING ? null : (long) sends.size()));
            return tag;
        }

        private void receive(int receiver, SignalTag tag, String from, boolean direct) {
            List<Received> inbox = inboxes.get(receiver);
            inbox.add(new Received(direct ? "one" : "all", tag.data(), from, direct, inbox.size()));
        }

        @Test
        @DisplayName("a signal to everyone is owed to the clients of its sender's session only")
        void everyoneIsTheSession() {
            SignalTag tag = send(0, 1, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            receive(0, tag, "A", false);
            receive(1, tag, "A", false);

            ChaosCheck.Findings found = check.check(sends, inboxes);

            assertThat(found.problems()).isEmpty();
            assertThat(found.delivered()).isEqualTo(2);
            assertThat(found.lost()).isZero();
        }

        @Test
        @DisplayName("a signal that reaches a client of another session is unexpected")
        void otherSessionIsUnexpected() {
            SignalTag tag = send(0, 1, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            receive(0, tag, "A", false);
            receive(1, tag, "A", false);
            receive(2, tag, "A", false);

            ChaosCheck.Findings found = check.check(sends, inboxes);

            assertThat(found.unexpected()).isEqualTo(1);
            assertThat(found.problems()).singleElement().asString().contains("c2", "another session");
        }

        @Test
        @DisplayName("a REST signal comes from no connection; one answered 204 and not received is lost, with its incident")
        void restStreams() {
            SignalTag first = send(3, 1, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            SignalTag second = send(3, 2, 1, Outcome.ACKNOWLEDGED, null);
            SignalTag third = send(4, 1, 2, Outcome.ACKNOWLEDGED, null);
            receive(0, first, null, false);
            receive(1, first, null, false);
            receive(2, third, "C", true);

            ChaosCheck.Findings found = check.check(sends, inboxes);

            assertThat(found.delivered()).isEqualTo(2);
            assertThat(found.unexpected()).as("s4#1 claimed to come from C").isEqualTo(1);
            assertThat(found.lost()).as("s3#2 never reached c1, s4#1 counted as not received").isEqualTo(2);
            assertThat(found.incidents().lost()).extracting(i -> i.send().tag(), ChaosCheck.Incident::receiver)
                    .containsExactly(tuple(second, 1), tuple(third, 2));
        }

        @Test
        @DisplayName("order is judged per stream: a REST signal after a later one of its stream is reordered,"
                + " whatever the clients sent between")
        void orderPerStream() {
            SignalTag rest1 = send(3, 1, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            SignalTag rest2 = send(3, 2, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            SignalTag fromA = send(0, 1, 1, Outcome.ACKNOWLEDGED, null);
            receive(0, rest1, null, false);
            receive(0, rest2, null, false);
            receive(1, rest2, null, false);
            receive(1, fromA, "A", true);
            receive(1, rest1, null, false);

            ChaosCheck.Findings found = check.check(sends, inboxes);

            assertThat(found.reordered()).isEqualTo(1);
            assertThat(found.incidents().reordered()).singleElement()
                    .satisfies(i -> {
                        assertThat(i.send().tag()).isEqualTo(rest1);
                        assertThat(i.receiver()).isEqualTo(1);
                        assertThat(i.received().at()).isEqualTo(2);
                    });
            assertThat(found.lost()).isZero();
        }

        @Test
        @DisplayName("a REST call with no answer may have been delivered or not; a refused one must not be")
        void restOutcomes() {
            SignalTag unanswered = send(4, 1, SendRecord.EVERYONE, Outcome.FAILED, ChaosCheck.DELIVERY_UNKNOWN);
            SignalTag refused = send(4, 2, SendRecord.EVERYONE, Outcome.FAILED, "REST ConnectException");
            receive(2, unanswered, null, false);
            receive(2, refused, null, false);

            ChaosCheck.Findings found = check.check(sends, inboxes);

            assertThat(found.unknown()).isEqualTo(1);
            assertThat(found.phantom()).isEqualTo(1);
            assertThat(found.lost()).isZero();
        }
    }
}

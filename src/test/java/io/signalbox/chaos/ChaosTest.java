package io.signalbox.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.chaos.SendRecord.Outcome;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The signaling contract under random link failures: real sessions, each through its own
 * {@link FaultProxy}, against the real server, with hundreds of drops. Then the checker itself, on
 * made-up records, so that a clean run means what it says.
 *
 * <p>The seed is new each run and printed; repeat a run with {@code -Dsignalbox.chaos.seed=S}.
 */
class ChaosTest {
    private static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");
    private static final int CLIENTS = 3;
    private static final int DROPS = 250;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("under 250 random link drops, every signal sent with retry is delivered exactly once and in order, "
            + "and every signal sent without is delivered once exactly when its future completed")
    void signalsSurviveRandomDrops() {
        long seed = Long.getLong("signalbox.chaos.seed", new SplittableRandom().nextLong());
        ChaosRun.Options options = ChaosRun.Options.defaults()
                .withClients(CLIENTS)
                .withDrops(DROPS)
                .withDropInterval(Duration.ofMillis(20))
                .withSendInterval(Duration.ofMillis(5))
                .withMaxBlackHole(Duration.ofMillis(100))
                .withMinUptime(Duration.ofMillis(50))
                .withTimeLimit(Duration.ofSeconds(30))
                .withSettleTimeout(Duration.ofSeconds(12))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .withSeed(seed);
        ChaosReport report;
        try (SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS)
                .withRateLimits(io.signalbox.server.RateLimits.unlimited()))) {
            report = new ChaosRun(options, System.out::println).run(server);
        }
        System.out.print(report.table());

        String seen = " (seed " + seed + "; the table is on standard output and below)";
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(report.drops()).as("links broken through the proxies" + seen).isGreaterThanOrEqualTo(200);
        softly.assertThat(report.dropsByKind()).as("every kind of drop was made" + seen)
                .containsOnlyKeys(DropKind.values());
        softly.assertThat(report.reconnections()).as("each drop makes its client reconnect" + seen)
                .isGreaterThanOrEqualTo(report.drops());
        softly.assertThat(report.sends().toEveryone()).as("signals sent to everyone" + seen).isPositive();
        softly.assertThat(report.sends().toOne()).as("signals sent to one other client" + seen).isPositive();
        softly.assertThat(report.sends().retryOn()).as("signals sent with retry after reconnect" + seen).isPositive();
        softly.assertThat(report.sends().retryOff()).as("signals sent without retry after reconnect" + seen).isPositive();
        softly.assertThat(report.delivered()).as("deliveries" + seen).isPositive();

        softly.assertThat(report.disconnections())
                .as("sessions that ended instead of reconnecting, though each drop is far shorter than the 60 s window"
                        + seen).isZero();
        softly.assertThat(report.pending()).as("sends whose future never completed" + seen).isZero();
        softly.assertThat(report.acknowledged() + report.failed()).as("every send either completed or failed" + seen)
                .isEqualTo(report.sent());
        softly.assertThat(report.lost())
                .as("promised deliveries that never happened (retry on: to every addressee; retry off: "
                        + "to every addressee once its future completed)" + seen).isZero();
        softly.assertThat(report.retryFailed())
                .as("signals sent with retry after reconnect whose future failed, though every reconnection succeeded"
                        + seen).isZero();
        softly.assertThat(report.duplicated()).as("signals a client received more than once" + seen).isZero();
        softly.assertThat(report.reordered())
                .as("signals a client received after a later one of the same sender" + seen).isZero();
        softly.assertThat(report.phantom())
                .as("deliveries of signals whose future failed with NOT_CONNECTED, which says they did not arrive"
                        + seen).isZero();
        softly.assertThat(report.failures().keySet())
                .as("failures are NOT_CONNECTED (retry off, while reconnecting or not arrived at a drop); "
                        + "DELIVERY_UNKNOWN would allow either outcome, but only a reconnection given up may cause it"
                        + seen).isSubsetOf(Set.of("NOT_CONNECTED"));
        softly.assertThat(report.unexpected())
                .as("received signals no send explains: wrong sender, wrong receiver, unknown data" + seen).isZero();
        softly.assertThat(report.missed()).as("signals the SDK reported missed" + seen).isZero();
        softly.assertThat(report.errors()).as("errors the SDK reported through onError" + seen).isZero();
        softly.assertThat(report.clean()).as("the run is clean, seed " + seed + "\n" + report.table()).isTrue();
        softly.assertAll();
    }

    /** The checker on records made up to show one property each. */
    @Nested
    @DisplayName("the chaos checker")
    class Checker {
        private final ChaosCheck check = new ChaosCheck(List.of("A", "B", "C"));
        private final List<SendRecord> sends = new ArrayList<>();
        private final List<List<Received>> inboxes = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        private SignalTag send(int sender, long counter, boolean retry, int target, Outcome outcome, String error) {
            SignalTag tag = new SignalTag(sender, counter, retry);
            sends.add(new SendRecord(tag, target, outcome, error, sends.size(),
                    outcome == Outcome.PENDING ? null : (long) sends.size()));
            return tag;
        }

        private void receive(int receiver, SignalTag tag, int target) {
            String from = List.of("A", "B", "C").get(tag.sender());
            inboxes.get(receiver).add(new Received(target == SendRecord.EVERYONE ? "all" : "one", tag.data(), from,
                    target != SendRecord.EVERYONE, inboxes.get(receiver).size()));
        }

        private void receiveEverywhere(SignalTag tag) {
            for (int receiver = 0; receiver < 3; receiver++) receive(receiver, tag, SendRecord.EVERYONE);
        }

        private ChaosCheck.Findings findings() {
            return check.check(sends, inboxes);
        }

        @Test
        @DisplayName("finds nothing when every signal arrives once, in order, as its outcome says")
        void cleanRun() {
            receiveEverywhere(send(0, 1, true, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null));
            send(0, 2, false, SendRecord.EVERYONE, Outcome.FAILED, "NOT_CONNECTED");
            receive(2, send(0, 3, false, 2, Outcome.ACKNOWLEDGED, null), 2);
            receive(0, send(1, 1, true, 0, Outcome.ACKNOWLEDGED, null), 0);

            ChaosCheck.Findings found = findings();

            assertThat(found.problems()).isEmpty();
            assertThat(found.sent()).isEqualTo(4);
            assertThat(found.delivered()).isEqualTo(5);
            assertThat(found.acknowledged()).isEqualTo(3);
            assertThat(found.failures()).containsExactly(Map.entry("NOT_CONNECTED", 1L));
            assertThat(List.of(found.lost(), found.duplicated(), found.reordered(), found.phantom(),
                    found.pending(), found.unexpected(), found.retryFailed())).containsOnly(0L);
        }

        @Test
        @DisplayName("counts a signal to everyone that never reached its own sender as lost")
        void lostToSelf() {
            SignalTag tag = send(0, 1, true, SendRecord.EVERYONE, Outcome.ACKNOWLEDGED, null);
            receive(1, tag, SendRecord.EVERYONE);
            receive(2, tag, SendRecord.EVERYONE);

            assertThat(findings().lost()).isEqualTo(1);
            assertThat(findings().lostAfterAckAt()).containsExactly(1L, 0L, 0L);
            assertThat(findings().problems()).singleElement().asString().contains("never reached c0");
        }

        @Test
        @DisplayName("counts a retried signal that failed as retry failed, and its missing deliveries as lost")
        void retriedSignalFailed() {
            send(1, 1, true, 2, Outcome.FAILED, "NOT_CONNECTED");

            assertThat(findings().retryFailed()).isEqualTo(1);
            assertThat(findings().lost()).isEqualTo(1);
        }

        @Test
        @DisplayName("counts a second delivery as duplicated and a late one as reordered")
        void duplicatedAndReordered() {
            SignalTag first = send(0, 1, true, 1, Outcome.ACKNOWLEDGED, null);
            SignalTag second = send(0, 2, false, 1, Outcome.ACKNOWLEDGED, null);
            receive(1, second, 1);
            receive(1, first, 1);
            receive(1, first, 1);

            ChaosCheck.Findings found = findings();

            assertThat(found.reordered()).isEqualTo(1);
            assertThat(found.duplicated()).isEqualTo(1);
            assertThat(found.delivered()).isEqualTo(2);
            assertThat(found.lost()).isZero();
        }

        @Test
        @DisplayName("counts a delivery of a signal that failed with NOT_CONNECTED as phantom, not as lost")
        void phantom() {
            receive(2, send(1, 1, false, 2, Outcome.FAILED, "NOT_CONNECTED"), 2);

            assertThat(findings().phantom()).isEqualTo(1);
            assertThat(findings().lost()).isZero();
        }

        @Test
        @DisplayName("allows a signal without retry that failed with DELIVERY_UNKNOWN to arrive or not")
        void deliveryUnknownEitherWay() {
            receive(2, send(1, 1, false, 2, Outcome.FAILED, "DELIVERY_UNKNOWN"), 2);
            send(1, 2, false, 2, Outcome.FAILED, "DELIVERY_UNKNOWN");

            ChaosCheck.Findings found = findings();

            assertThat(found.unknown()).isEqualTo(2);
            assertThat(List.of(found.phantom(), found.lost(), found.retryFailed())).containsOnly(0L);
        }

        @Test
        @DisplayName("counts a future that never completed as pending, and an acknowledged signal not received as lost")
        void pendingAndLost() {
            send(2, 1, true, 0, Outcome.PENDING, null);
            send(2, 2, false, 0, Outcome.ACKNOWLEDGED, null);

            assertThat(findings().pending()).isEqualTo(1);
            assertThat(findings().lost()).isEqualTo(1);
        }

        @Test
        @DisplayName("counts signals at the wrong receiver, from the wrong sender or unknown as unexpected")
        void unexpected() {
            SignalTag toB = send(0, 1, true, 1, Outcome.ACKNOWLEDGED, null);
            receive(1, toB, 1);
            receive(2, toB, 1);
            inboxes.get(0).add(new Received("one", toB.data(), "C", true, 0));
            inboxes.get(0).add(new Received("all", "hello", "A", false, 1));

            assertThat(findings().unexpected()).isEqualTo(3);
            assertThat(findings().delivered()).isEqualTo(1);
        }
    }
}

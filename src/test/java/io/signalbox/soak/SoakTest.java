package io.signalbox.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.signalbox.server.auth.ApiCredentials;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short soak against a real server in a process of its own on a free loopback port: the tool runs
 * to its end, its counts add up, and the server's figures are there and plausible. Nothing here judges
 * speed or memory: a few seconds say nothing of a leak.
 */
@Timeout(180)
class SoakTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Test
    @DisplayName("50 clients for 10 s with drops: every acknowledged signal delivered once and in order, figures at each interval")
    void shortSoak() {
        SoakOptions options = SoakOptions.defaults()
                .withDuration(Duration.ofSeconds(10))
                .withClients(50, 5)
                .withRate(100)
                .withInterval(Duration.ofSeconds(2))
                .withDrops(60, Duration.ofSeconds(1));

        SoakReport report = new SoakRun(options, lines::add)
                .runWithServer(List.of("-Xmx256m"), null, ApiCredentials.generate(new SecureRandom()));

        Ledger.Findings found = report.findings();
        assertThat(report.failures()).as(report.table()).isEmpty();
        assertThat(found.lost()).isZero();
        assertThat(found.doubled()).isZero();
        assertThat(found.reordered()).isZero();
        assertThat(found.delivered()).as("every acknowledged send reached everyone it was addressed to, and nothing else arrived")
                .isEqualTo(found.expected()).isPositive();
        // 10 s at 100 a second, then a last signal from each of the 50 clients and 5 REST streams.
        assertThat((double) found.sent()).isCloseTo(1000 + 55, within(120.0));
        assertThat(found.clientSends()).isGreaterThan(found.restSends()).isGreaterThan(0);
        assertThat(found.failures().keySet()).as("only sends without retry made while offline fail").isSubsetOf("NOT_CONNECTED");
        assertThat(report.activity().drops()).as("a drop a second").isGreaterThanOrEqualTo(5);
        assertThat(report.activity().reconnects()).as("every drop resumed").isGreaterThanOrEqualTo(report.activity().drops());
        assertThat(report.settled()).isTrue();

        assertThat(report.collected()).as("a JDK has jcmd: readings come after a full GC").isTrue();
        assertThat(report.samples()).hasSize(5);
        for (SoakReport.Sample sample : report.samples()) {
            assertThat(sample.sent()).isPositive();
            assertThat(sample.delivered()).isPositive();
            assertThat(sample.vitals().heapAfterGc()).isBetween(1L << 20, 256L << 20);
            assertThat(sample.vitals().openFiles()).as("a socket per client, and more").isGreaterThan(50);
            assertThat(sample.vitals().rss()).isGreaterThan(sample.vitals().heapAfterGc());
            assertThat(sample.vitals().threads()).isPositive();
        }
        assertThat(report.end().openFiles()).isGreaterThan(50);
        assertThat(report.heapTrendPerHour()).as("a slope through 5 readings").isFinite();
        assertThat(lines).anyMatch(l -> l.contains("server pid")).anyMatch(l -> l.contains("heap-GC"));
        assertThat(report.table()).contains("verdict: PASS");
        assertThat(report.json()).contains("\"lost\":0", "\"clean\":true");
    }
}

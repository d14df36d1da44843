package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ForwardingSessionListenerTest {

    @Test
    @DisplayName("every listener method is forwarded, so a subclass sees only what it overrides")
    void forwardsEverything() throws Exception {
        for (Method m : SessionListener.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            assertThat(ForwardingSessionListener.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
                    .as("ForwardingSessionListener overrides %s", m.getName())
                    .isNotNull();
        }
    }

    @Test
    @DisplayName("events reach the delegate unchanged and in order")
    void reachesDelegate() {
        List<String> heard = new ArrayList<>();
        SessionListener delegate = new SessionListener() {
            @Override
            public void onSignal(Session session, Signal signal) {
                heard.add("signal " + signal.data());
            }

            @Override
            public void onSignalsMissed(Session session, int count) {
                heard.add("missed " + count);
            }

            @Override
            public void onResumed(Session session, Resumption resumption) {
                heard.add("resumed " + resumption.attempts());
            }
        };
        ForwardingSessionListener forwarding = new ForwardingSessionListener(delegate);
        forwarding.onSignal(null, new Signal("chat", "hi", null, false, Instant.EPOCH));
        forwarding.onResumed(null, new Resumption(2, Duration.ZERO, 0, 0, 0, 0));
        forwarding.onSignalsMissed(null, 3);
        assertThat(heard).containsExactly("signal hi", "resumed 2", "missed 3");
    }
}

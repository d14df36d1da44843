package io.signalbox.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.signalbox.protocol.Codec;
import io.signalbox.server.auth.ProjectAuth;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * The REST API's signals into one session through one node of a cluster run, as a backend sends them:
 * {@code POST /v2/project/KEY/session/SID/signal} to everyone, {@code .../connection/CID/signal} to
 * one client, with a fresh project JWT each, and data that is a {@link SignalTag} like a client's.
 *
 * <p>The calls are made one after another, each once the previous one was answered, so that they are
 * one stream whose order the node can keep. Two calls in flight at once have no order, and neither
 * have calls to two nodes: a node answers once it has handed the signal to Redis, not once the other
 * nodes have it. Hence one stream per session and node.
 *
 * <p>Outcomes: 204 is acknowledged (the signal is promised to its addressees); any other status is a
 * failure the node answered (nothing was routed); a refused connection is a failure before anything
 * was sent; no answer (the node died with the call in flight) is {@link ChaosCheck#DELIVERY_UNKNOWN}.
 *
 * <p>Sends are made one at a time, as a {@link ChaosClient}'s: {@link #sendOne} by the run's driver
 * thread, {@link #sendLast} by the run's own thread once the driver stopped.
 */
final class RestStream {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration AUTH_TTL = Duration.ofMinutes(3);

    /** This stream's number among the run's senders: its signals' {@link SignalTag#sender()}. */
    final int index;
    /** The node it calls, by number from 0. */
    final int node;
    /** The session it signals into, by number from 0. */
    final int session;
    private final URI sessionUrl;
    /** The session's clients' connection ids, the first being client {@link #first}'s. */
    private final List<String> members;
    private final int first;
    private final HttpClient http;
    private final ProjectAuth auth;
    /** Chooses each signal's addressee; used by the sending thread only. */
    private final RandomGenerator random;
    /** The counter of the latest send; by the sending thread. */
    private long counter;
    /** The latest call, which the next waits for; by the sending thread. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    /** Set once the node is about to die or the run is over: no call is made after. */
    private volatile boolean stopped;
    /** Every send, in order; guarded by itself. */
    private final List<Sent> sends = new ArrayList<>();

    /**
     * @param index      this stream's number among the run's senders (after the clients)
     * @param node       the node it calls, by number from 0
     * @param nodeUrl    that node's base URL
     * @param apiKey     the project's API key
     * @param session    the session's number in the run
     * @param sessionId  the session's id
     * @param first      the client index of the session's first client
     * @param members    the session's clients' connection ids, from client {@code first} on
     * @param random     chooses each signal's addressee
     */
    RestStream(int index, int node, URI nodeUrl, String apiKey, int session, String sessionId, int first,
               List<String> members, HttpClient http, ProjectAuth auth, RandomGenerator random) {
        this.index = index;
        this.node = node;
        this.session = session;
        this.sessionUrl = nodeUrl.resolve("/v2/project/" + encode(apiKey) + "/session/" + encode(sessionId));
        this.first = first;
        this.members = List.copyOf(members);
        this.http = Objects.requireNonNull(http, "http");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Sends one signal, to everyone or to a random client of the session, chosen at random; nothing
     * while the previous call waits for its answer, or once stopped.
     */
    void sendOne() {
        if (stopped || !tail.isDone()) return;
        if (random.nextBoolean()) {
            send("all", SendRecord.EVERYONE);
        } else {
            send("one", first + random.nextInt(members.size()));
        }
    }

    /** Sends the last signal, to everyone, after any call in flight: once it arrived, so had the rest. */
    void sendLast() {
        if (!stopped) send(ChaosClient.LAST, SendRecord.EVERYONE);
    }

    /** No call from now on: the node is about to be killed, or the run is over. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Whether no call waits for its answer. */
    boolean idle() {
        synchronized (sends) {
            return sends.stream().allMatch(s -> s.call().isDone());
        }
    }

    private void send(String type, int target) {
        SignalTag tag = new SignalTag(index, ++counter, false);
        HttpRequest request = request(type, tag.data(), target == SendRecord.EVERYONE ? null : members.get(target - first));
        long sentAt = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> call = tail.handle((ignored, failure) -> null)
                .thenCompose(ignored -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        tail = call;
        synchronized (sends) {
            sends.add(new Sent(tag, target, call, sentAt, SendRecord.settling(call)));
        }
    }

    private HttpRequest request(String type, String data, String connectionId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("data", data);
        String json;
        try {
            json = Codec.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a signal body", e);
        }
        String path = sessionUrl.getPath() + (connectionId == null ? "" : "/connection/" + encode(connectionId)) + "/signal";
        return HttpRequest.newBuilder(sessionUrl.resolve(path))
                .timeout(CALL_TIMEOUT)
                .header(ProjectAuth.HEADER, auth.mint(AUTH_TTL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** Every send with its outcome as of now. */
    List<SendRecord> outcomes() {
        synchronized (sends) {
            return sends.stream().map(RestStream::outcome).toList();
        }
    }

    private static SendRecord outcome(Sent sent) {
        CompletableFuture<HttpResponse<Void>> call = sent.call();
        // The time is taken by a stage after the call's own completion: read the call first.
        return switch (call.state()) {
            case RUNNING -> new SendRecord(sent.tag(), sent.target(), SendRecord.Outcome.PENDING, null, sent.sentAt(), null);
            case SUCCESS -> call.resultNow().statusCode() == 204
                    ? new SendRecord(sent.tag(), sent.target(), SendRecord.Outcome.ACKNOWLEDGED, null, sent.sentAt(),
                            sent.settled().join())
                    : new SendRecord(sent.tag(), sent.target(), SendRecord.Outcome.FAILED,
                            "REST HTTP " + call.resultNow().statusCode(), sent.sentAt(), sent.settled().join());
            case FAILED -> new SendRecord(sent.tag(), sent.target(), SendRecord.Outcome.FAILED,
                    failure(call.exceptionNow()), sent.sentAt(), sent.settled().join());
            case CANCELLED -> new SendRecord(sent.tag(), sent.target(), SendRecord.Outcome.FAILED,
                    "CancellationException", sent.sentAt(), sent.settled().join());
        };
    }

    /** A refused connection sent nothing; any other failure may have come after the node had the signal. */
    private static String failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ConnectException ? "REST ConnectException" : ChaosCheck.DELIVERY_UNKNOWN;
    }

    /** The stream in words: {@code REST via node 2}, counting nodes from 1. */
    String describe() {
        return "REST via node " + (node + 1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A call, when it was made (by {@link System#nanoTime}), and when it was answered or failed. */
    private record Sent(SignalTag tag, int target, CompletableFuture<HttpResponse<Void>> call, long sentAt,
                        CompletableFuture<Long> settled) {}
}

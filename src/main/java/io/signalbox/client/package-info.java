/**
 * The Signalbox client SDK: join a session and exchange signals with everyone in it.
 *
 * <p>Start with {@link io.signalbox.client.Session#builder}. The API follows the signaling API of the
 * Vonage Video (OpenTok) client SDKs: a {@link io.signalbox.client.Session} connects with a token,
 * sends signals to everyone or to one {@link io.signalbox.client.Connection}, and reports what
 * happens to a {@link io.signalbox.client.SessionListener}, on one event thread of its own.
 *
 * <p>Nothing in this package throws for a failure of the network or of the server: methods that talk
 * to the server return a {@link java.util.concurrent.CompletableFuture} that fails with a
 * {@link io.signalbox.client.SignalingException} carrying an {@link io.signalbox.client.ErrorCode}.
 *
 * <p>{@code io.signalbox.client.internal} holds the machinery; it is not part of the API and may
 * change without notice.
 */
package io.signalbox.client;

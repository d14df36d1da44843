/**
 * The machinery of the Signalbox SDK: the session's state machine ({@link
 * io.signalbox.client.internal.RealSession}), the link to the server behind a small {@link
 * io.signalbox.client.internal.Transport} interface (Tyrus in production, fakes in tests), and the
 * serial executors that keep writes and events in order.
 *
 * <p>Not part of the API: public only so that {@code io.signalbox.client} can reach it, and may
 * change without notice.
 */
package io.signalbox.client.internal;

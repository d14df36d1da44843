/**
 * The Signalbox server: sessions, connections, routing of signals, the WebSocket endpoint for the
 * SDK and the OpenTok-compatible REST API. {@link io.signalbox.server.SignalboxServer} and
 * {@link io.signalbox.server.ServerConfig} are its public face; token handling is in
 * {@code io.signalbox.server.auth}.
 */
package io.signalbox.server;

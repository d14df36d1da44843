/**
 * The load generator behind {@code signalbox bench}: workloads that drive a Signalbox server running in
 * a process of its own and report throughput, latency and what the server spent to deliver them.
 *
 * <p>For the fan-out, direct and idle workloads the generator speaks the wire protocol through a lean
 * NIO WebSocket client of its own ({@link io.signalbox.bench.WsLoop}), so that what is measured is the
 * server and not the client; the storm workload drives the SDK's {@link io.signalbox.client.Session}s,
 * since their reconnection is what it measures.
 */
package io.signalbox.bench;

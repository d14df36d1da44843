/**
 * The wire protocol between the Signalbox SDK and server: the messages each side sends, their JSON
 * codec, the signaling limits and the error and close codes. It knows nothing of either side.
 *
 * <p>See {@code docs/protocol.md} for the full description of the exchange.
 */
package io.signalbox.protocol;

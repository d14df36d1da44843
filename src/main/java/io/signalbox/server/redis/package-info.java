/**
 * The scale-out backplane: several server nodes sharing sessions through Redis. {@link
 * io.signalbox.server.redis.Backplane} is what the session registry calls, and only when the server is
 * configured with a Redis URI; {@link io.signalbox.server.redis.RedisBackplane} is its Lettuce
 * implementation. This package knows the wire protocol's value types and nothing of the server's
 * sessions: it carries events and keeps the shared registry, the registry decides what they mean.
 */
package io.signalbox.server.redis;

/**
 * Recovery, beside the main path: what other consumers left pending (claimed at least once, replayed under
 * their own name exactly once; see {@link io.redisbridge.source.recover.DeliveryMode}), and entries given
 * up on, moved to a dead-letter stream ({@link io.redisbridge.source.recover.EntryDeadLetters}).
 */
package io.redisbridge.source.recover;

/**
 * What a task reports: counters ({@link io.redisbridge.source.metrics.SourceProgress}), group pending and
 * lag ({@link io.redisbridge.source.metrics.StreamGroupStats}), and both as JMX and plugin metrics
 * ({@link io.redisbridge.source.metrics.SourceTaskMetrics}).
 */
package io.redisbridge.source.metrics;

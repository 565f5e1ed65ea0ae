/**
 * Discovery and assignment: which streams match a pattern ({@link io.redisbridge.source.discover.PatternStreams})
 * and which task reads which stream ({@link io.redisbridge.source.discover.StreamAssignment}).
 */
package io.redisbridge.source.discover;

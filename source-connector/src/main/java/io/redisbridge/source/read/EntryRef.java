package io.redisbridge.source.read;

import redis.clients.jedis.StreamEntryID;

/** Which entry of which stream: what an ack or a pending lookup needs. */
public record EntryRef(String stream, StreamEntryID id) {}

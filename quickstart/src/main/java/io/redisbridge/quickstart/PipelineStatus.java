package io.redisbridge.quickstart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import redis.clients.jedis.UnifiedJedis;

/** One reading of the pipeline: how far each stage is. */
record PipelineStatus(long produced, long inKafka, long archived, long pending, long deadLettered) {

  static PipelineStatus read(UnifiedJedis redis, Admin admin, long produced) throws Exception {
    long pending = redis.exists(QuickStart.SOURCE_STREAM)
        && !redis.xinfoGroups(QuickStart.SOURCE_STREAM).isEmpty()
        ? redis.xpending(QuickStart.SOURCE_STREAM, QuickStart.GROUP).getTotal() : 0;
    long archived = redis.exists(QuickStart.ARCHIVE_STREAM) ? redis.xlen(QuickStart.ARCHIVE_STREAM) : 0;
    long dead = redis.exists(QuickStart.DEAD_LETTER_STREAM) ? redis.xlen(QuickStart.DEAD_LETTER_STREAM) : 0;
    return new PipelineStatus(produced, recordsIn(admin, QuickStart.TOPIC), archived, pending, dead);
  }

  private static long recordsIn(Admin admin, String topic) throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    long total = 0;
    for (var info : admin.listOffsets(latest).all().get().values()) {
      total += info.offset();
    }
    return total;
  }

  boolean complete() {
    return inKafka >= produced && archived >= produced && pending == 0;
  }

  String line() {
    return String.format("produced %,d | in Kafka %,d | archived %,d | pending %,d | dead-lettered %,d",
        produced, inKafka, archived, pending, deadLettered);
  }
}

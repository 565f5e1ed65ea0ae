package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The hand-written loops each connector is measured against, run as their own JVM against the same Redis
 * and broker: what moving these entries costs without Connect and without the connector, with the same
 * guarantees (acknowledge after Kafka has the record; commit after Redis has the entry).
 *
 * <p>{@code source <redis-port> <bootstrap> <group> <warm-up stream> <stream> <headers> [producer key=value...]}:
 * XREADGROUP, JSON values, {@code KafkaProducer} with a Connect worker's producer defaults, XACK of what
 * Kafka confirmed; each stream goes to the topic of its name. With {@code headers} true, each record
 * carries the source connector's default header (redis.entry.id) as its worker's header converter writes it. {@code sink <redis-port> <bootstrap>
 * <warm-up topic> <warm-up count> <topic> <count> <maxlen>}: {@code KafkaConsumer} with a Connect sink's
 * consumer defaults, pipelined XADD with {@code MAXLEN ~} to the stream of the topic's name, commit after
 * each batch. Like the warmed-up worker it is compared with, each loop first moves a warm-up batch.
 */
public final class Ceiling {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Ceiling() {}

  public static void main(String[] args) throws Exception {
    int redisPort = Integer.parseInt(args[1]);
    if (args[0].equals("source")) {
      boolean headers = Boolean.parseBoolean(args[6]);
      List<String> overrides = List.of(args).subList(7, args.length);
      source(redisPort, args[2], args[4], args[3], headers, overrides);
      source(redisPort, args[2], args[5], args[3], headers, overrides);
    } else {
      sink(redisPort, args[2], args[3], Long.parseLong(args[4]), Long.parseLong(args[7]));
      sink(redisPort, args[2], args[5], Long.parseLong(args[6]), Long.parseLong(args[7]));
    }
  }

  /** The producer settings a Connect worker's source tasks get unless overridden (as its log shows them). */
  static Map<String, Object> connectProducerDefaults(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }

  private static void source(int redisPort, String bootstrap, String stream, String group, boolean headers,
      List<String> overrides) throws Exception {
    String topic = stream;
    Map<String, Object> props = connectProducerDefaults(bootstrap);
    for (String override : overrides) {
      props.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
    }
    ConcurrentLinkedQueue<StreamEntryID> confirmed = new ConcurrentLinkedQueue<>();
    try (UnifiedJedis redis = RedisClient.create("127.0.0.1", redisPort);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      XReadGroupParams read = XReadGroupParams.xReadGroupParams().count(1000).block(500);
      int idle = 0;
      while (idle < 4) {
        ack(redis, stream, group, confirmed);
        List<Map.Entry<String, List<StreamEntry>>> reply = redis.xreadGroup(group, "ceiling", read,
            Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (reply == null || reply.isEmpty() || reply.get(0).getValue().isEmpty()) {
          idle++;
          producer.flush();
          continue;
        }
        idle = 0;
        for (StreamEntry entry : reply.get(0).getValue()) {
          Map<String, Object> value = new LinkedHashMap<>(entry.getFields());
          StreamEntryID id = entry.getID();
          RecordHeaders recordHeaders = new RecordHeaders();
          if (headers) {
            recordHeaders.add("redis.entry.id", id.toString().getBytes(StandardCharsets.UTF_8));
          }
          producer.send(new ProducerRecord<>(topic, null, id.getTime(), null, JSON.writeValueAsBytes(value),
              recordHeaders),
              (metadata, error) -> {
                if (error == null) {
                  confirmed.add(id);
                }
              });
        }
      }
      producer.flush();
      ack(redis, stream, group, confirmed);
    }
  }

  private static void ack(UnifiedJedis redis, String stream, String group, ConcurrentLinkedQueue<StreamEntryID> done) {
    List<StreamEntryID> ids = new ArrayList<>();
    for (StreamEntryID id = done.poll(); id != null; id = done.poll()) {
      ids.add(id);
    }
    for (int from = 0; from < ids.size(); from += 1000) {
      redis.xack(stream, group, ids.subList(from, Math.min(ids.size(), from + 1000)).toArray(new StreamEntryID[0]));
    }
  }

  private static void sink(int redisPort, String bootstrap, String topic, long count, long maxLen) throws Exception {
    String stream = topic;
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "ceiling-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    XAddParams params = XAddParams.xAddParams().maxLen(maxLen).approximateTrimming();
    long written = 0;
    try (UnifiedJedis redis = RedisClient.create("127.0.0.1", redisPort);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (written < count) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            Map<String, Object> value = JSON.readValue(record.value(), Map.class);
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            value.forEach((name, field) -> fields.put(name.getBytes(StandardCharsets.UTF_8),
                String.valueOf(field).getBytes(StandardCharsets.UTF_8)));
            pipeline.xadd(stream.getBytes(StandardCharsets.UTF_8), params, fields);
          }
          pipeline.sync();
        }
        written += records.count();
        consumer.commitAsync();
      }
      consumer.commitSync();
    }
  }
}

package io.redisbridge.testing;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What a connector's tasks leave in this JVM when Connect runs in-process: their live threads (Connect's
 * {@code task-thread-<name>-<n>} and the task's own, all named after the connector) and their MBeans.
 */
public final class TaskThreadsInProcess {

  private TaskThreadsInProcess() {}

  /** Names of the live threads whose name carries {@code connector}. */
  public static List<String> of(String connector) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.contains(connector)).toList();
  }

  /** Those threads with where each one is, for a failure message. */
  public static String whereAre(String connector) {
    StringBuilder where = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().contains(connector)) {
        where.append('\n').append(thread.getName());
        for (int i = 0; i < Math.min(40, stack.length); i++) {
          where.append("\n  at ").append(stack[i]);
        }
      }
    });
    return where.toString();
  }

  /** A number of task 0's metrics, e.g. {@code metric("source-task-metrics", "orders", "redis-stalls")}. */
  public static long metric(String type, String connector, String attribute) throws JMException {
    ObjectName name = new ObjectName("io.redisbridge:type=" + type + ",connector=" + connector + ",task=0");
    return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute)).longValue();
  }
}

package io.redisbridge.quickstart;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A few of the connectors' JMX metrics, read from the quick start's worker over remote JMX (loopback only,
 * no authentication: a local demo) for the live line. Empty until the tasks have registered them.
 */
final class WorkerMetrics implements AutoCloseable {

  private final int port;
  private JMXConnector connector;

  WorkerMetrics() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
  }

  /** The JVM options that open the worker's JMX on this port. */
  List<String> workerJvmOptions() {
    return List.of("-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
        "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
        "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1");
  }

  String url() {
    return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
  }

  /** E.g. "JMX: acked 12,000 | lag 0 | sink batch 1.8 ms"; empty while the metrics are not there. */
  String line(String sourceConnector, String stream, String sinkConnector) {
    try {
      if (connector == null) {
        connector = JMXConnectorFactory.connect(new JMXServiceURL(url()));
      }
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      long acked = 0;
      for (ObjectName task : jmx.queryNames(new ObjectName("io.redisbridge:type=source-task-metrics,connector="
          + sourceConnector + ",*"), null)) {
        acked += ((Number) jmx.getAttribute(task, "entries-acknowledged")).longValue();
      }
      // Lag is the group's: every task samples the same number.
      Long lag = null;
      for (ObjectName task : jmx.queryNames(new ObjectName("io.redisbridge:type=source-stream-metrics,connector="
          + sourceConnector + ",stream=" + stream + ",*"), null)) {
        Number value = (Number) jmx.getAttribute(task, "group-lag");
        lag = value == null ? lag : Long.valueOf(value.longValue());
      }
      double batchMs = 0;
      int sinkTasks = 0;
      for (ObjectName task : jmx.queryNames(new ObjectName("io.redisbridge:type=sink-task-metrics,connector="
          + sinkConnector + ",*"), null)) {
        batchMs += ((Number) jmx.getAttribute(task, "batch-time-avg-ms")).doubleValue();
        sinkTasks++;
      }
      if (sinkTasks == 0) {
        return "";
      }
      return String.format("JMX: acked %,d | lag %s | sink batch %.1f ms", acked,
          lag == null ? "?" : String.format("%,d", lag), batchMs / sinkTasks);
    } catch (Exception e) {
      return ""; // not registered yet, or the worker is restarting
    }
  }

  @Override
  public void close() {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        // the worker is gone already
      }
    }
  }
}

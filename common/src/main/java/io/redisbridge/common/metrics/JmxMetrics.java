package io.redisbridge.common.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only numbers of one task (or one stream of a task) as a JMX MBean, e.g.
 * {@code io.redisbridge:type=source-task-metrics,connector=orders-source,task=0}. A plain MBean works on
 * every worker version; each attribute reads a counter the task keeps anyway, so nothing is computed
 * per record for it. Registration failures are logged, never thrown: metrics must not stop a task.
 */
public final class JmxMetrics implements DynamicMBean, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JmxMetrics.class);
  public static final String DOMAIN = "io.redisbridge";

  private record Gauge(String description, Supplier<Number> value) {
    /** Every attribute is a Double, null while there is no value (e.g. before the first sample). */
    Double read() {
      Number number = value.get();
      return number == null ? null : number.doubleValue();
    }
  }

  /** One attribute as another registry sees it: its name, what it means, and where its value comes from. */
  public interface GaugeVisitor {
    void visit(String attribute, String description, Supplier<Number> value);
  }

  private final ObjectName name;
  private final Map<String, String> keys;
  private final Map<String, Gauge> gauges = new LinkedHashMap<>();
  private boolean registered;

  private JmxMetrics(ObjectName name, Map<String, String> keys) {
    this.name = name;
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** The keys that name a task's metrics: connector, then task. */
  public static Map<String, String> taskKeys(String connector, String task) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("connector", connector);
    keys.put("task", task);
    return keys;
  }

  /** Metrics named {@code io.redisbridge:type=<type>,<key>=<value>...}, keys in the order given. */
  public static JmxMetrics named(String type, Map<String, String> keys) {
    StringBuilder text = new StringBuilder(DOMAIN).append(":type=").append(type);
    keys.forEach((key, value) -> text.append(',').append(key).append('=').append(quoteIfNeeded(value)));
    try {
      return new JmxMetrics(new ObjectName(text.toString()), keys);
    } catch (JMException e) {
      throw new IllegalArgumentException("not a valid JMX name: " + text, e);
    }
  }

  private static String quoteIfNeeded(String value) {
    return value.matches("[A-Za-z0-9._-]+") ? value : ObjectName.quote(value);
  }

  public ObjectName name() {
    return name;
  }

  /** The key properties after {@code type}, e.g. connector, task and stream. */
  public Map<String, String> keys() {
    return keys;
  }

  /** Every attribute, in the order added. */
  public void forEachGauge(GaugeVisitor visitor) {
    gauges.forEach((attribute, gauge) -> visitor.visit(attribute, gauge.description(), gauge.value()));
  }

  /** Adds a read-only attribute; before {@link #register()}. */
  public JmxMetrics gauge(String attribute, String description, Supplier<Number> value) {
    gauges.put(attribute, new Gauge(description, value));
    return this;
  }

  /** Registers with the platform MBean server, replacing one a crashed task of the same name left behind. */
  public JmxMetrics register() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(this, name);
      registered = true;
    } catch (JMException e) {
      log.warn("Could not register metrics {}: {}", name, e.toString());
    }
    return this;
  }

  @Override
  public void close() {
    if (registered) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
      } catch (JMException e) {
        log.debug("Metrics {} were already unregistered: {}", name, e.toString());
      }
      registered = false;
    }
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    Gauge gauge = gauges.get(attribute);
    if (gauge == null) {
      throw new AttributeNotFoundException(attribute);
    }
    return gauge.read();
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    AttributeList values = new AttributeList();
    for (String attribute : attributes) {
      Gauge gauge = gauges.get(attribute);
      if (gauge != null) {
        values.add(new Attribute(attribute, gauge.read()));
      }
    }
    return values;
  }

  @Override
  public void setAttribute(Attribute attribute) {
    throw new UnsupportedOperationException("metrics are read-only");
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) {
    throw new UnsupportedOperationException("metrics have no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> attributes = new ArrayList<>();
    gauges.forEach((attribute, gauge) -> attributes.add(new MBeanAttributeInfo(attribute, Double.class.getName(),
        gauge.description(), true, false, false)));
    return new MBeanInfo(JmxMetrics.class.getName(), "redis-kafka-bridge metrics " + name,
        attributes.toArray(MBeanAttributeInfo[]::new), null, null, null);
  }
}

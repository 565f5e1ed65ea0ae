package io.redisbridge.common.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import redis.clients.jedis.Connection;

/**
 * The connections a client handed out. Closing a Jedis pool only destroys its idle connections: one a
 * thread still waits on (a read on a half-open connection) stays open until its socket timeout. Closing
 * the client cuts them all, so a stopping task's threads end at once instead of one timeout later.
 */
final class OpenConnections {

  // Weak: a connection the pool destroyed is forgotten without a callback from the pool.
  private final Set<Connection> handedOut = Collections.newSetFromMap(new WeakHashMap<>());

  Connection track(Connection connection) {
    synchronized (handedOut) {
      handedOut.add(connection);
    }
    return connection;
  }

  /** Closes every socket handed out; a thread reading one gets a connection error now. */
  void cutAll() {
    List<Connection> all;
    synchronized (handedOut) {
      all = new ArrayList<>(handedOut);
      handedOut.clear();
    }
    for (Connection connection : all) {
      try {
        connection.forceDisconnect();
      } catch (IOException | RuntimeException e) {
        // Already closed or broken: nothing more to cut.
      }
    }
  }
}

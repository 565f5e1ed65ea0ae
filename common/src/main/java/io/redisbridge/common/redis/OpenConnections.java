package io.redisbridge.common.redis;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The connections a client handed out. Closing a Jedis pool only destroys its idle connections: one a
 * thread still waits on (a read on a half-open connection) stays open until its socket timeout. Closing
 * the client cuts them all, so a stopping task's threads end at once instead of one timeout later.
 */
final class OpenConnections {

  // Weak: a connection the pool destroyed is forgotten without a callback from the pool.
  private final Set<Connection> handedOut = Collections.newSetFromMap(new WeakHashMap<>());
  /** Sockets made through {@link #trackingSockets}, so a connection still in its handshake can be cut too. */
  private final Set<Socket> sockets = Collections.newSetFromMap(new WeakHashMap<>());

  private boolean cut;

  /**
   * Remembers a connection handed out. One that leaves the pool after {@link #cutAll()} (a thread that
   * was taking it while the client closed) is cut before anyone can wait on it.
   */
  Connection track(Connection connection) {
    synchronized (handedOut) {
      if (!cut) {
        handedOut.add(connection);
        return connection;
      }
    }
    disconnect(connection);
    throw new JedisConnectionException("the Redis client is closed");
  }

  /**
   * Makes sockets with {@code sockets} and remembers each: a new connection waits in its handshake (AUTH,
   * CLIENT SETNAME) before the pool hands it out, and on a half-open connection that wait is a full timeout.
   */
  JedisSocketFactory trackingSockets(JedisSocketFactory factory) {
    return () -> {
      Socket socket = factory.createSocket();
      synchronized (handedOut) {
        if (!cut) {
          sockets.add(socket);
          return socket;
        }
      }
      closeQuietly(socket);
      throw new JedisConnectionException("the Redis client is closed");
    };
  }

  /** Closes every socket handed out, and any handed out later; a thread reading one gets a connection error now. */
  void cutAll() {
    List<Connection> all;
    List<Socket> made;
    synchronized (handedOut) {
      cut = true;
      all = new ArrayList<>(handedOut);
      handedOut.clear();
      made = new ArrayList<>(sockets);
      sockets.clear();
    }
    all.forEach(OpenConnections::disconnect);
    made.forEach(OpenConnections::closeQuietly);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static void disconnect(Connection connection) {
    try {
      connection.forceDisconnect();
    } catch (IOException | RuntimeException e) {
      // Already closed or broken: nothing more to cut.
    }
  }
}

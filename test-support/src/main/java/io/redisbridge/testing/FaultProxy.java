package io.redisbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that injects network faults between a client and a server:
 * <ul>
 *   <li>{@link #cut()}: every open connection goes silent, both ways: bytes are taken and dropped, nothing
 *       is closed, no FIN, no RST. That is a half-open connection as a dropped route or a load balancer
 *       that forgot the flow leaves it. Connections made during the cut are silent too.</li>
 *   <li>{@link #heal()}: new connections pass again; the ones silenced stay silent, as half-open ones do.</li>
 *   <li>{@link #latency(long)}: each chunk of bytes from the server waits this long before it is passed on,
 *       which adds that much to every round trip.</li>
 *   <li>{@link #resetAll()}: every open connection is reset (RST to both ends).</li>
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {

  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong latencyMs = new AtomicLong();
  private final AtomicLong droppedBytes = new AtomicLong();
  private volatile boolean cut;
  private volatile boolean closed;

  private FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of {@code 127.0.0.1:targetPort}, passing everything until told otherwise. */
  public static FaultProxy to(int targetPort) {
    try {
      return new FaultProxy(targetPort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy port", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Silences every open connection, and new ones until {@link #heal()}. */
  public void cut() {
    cut = true;
    links.forEach(link -> link.silent = true);
  }

  /** New connections pass again; connections silenced so far stay silent. */
  public void heal() {
    cut = false;
  }

  public void latency(long millis) {
    latencyMs.set(millis);
  }

  /** Resets every open connection; new ones pass. */
  public void resetAll() {
    links.forEach(Link::reset);
  }

  /** Bytes silent connections took and dropped, both ways: proof that a call was sent into the silence. */
  public long droppedBytes() {
    return droppedBytes.get();
  }

  /** Connections open now, silent or not. */
  public int openConnections() {
    return links.size();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        Link link = new Link(client, server, cut);
        links.add(link);
        link.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    links.forEach(Link::close);
  }

  /** One proxied connection: a pump each way. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    volatile boolean silent;

    Link(Socket client, Socket server, boolean silent) {
      this.client = client;
      this.server = server;
      this.silent = silent;
    }

    void start() {
      pump(client, server, "up");
      pump(server, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
          OutputStream out = to.getOutputStream();
          int read;
          while ((read = in.read(buffer)) >= 0) {
            long delay = "down".equals(direction) ? latencyMs.get() : 0;
            if (delay > 0) {
              Thread.sleep(delay);
            }
            if (silent) {
              droppedBytes.addAndGet(read);
            } else {
              out.write(buffer, 0, read);
              out.flush();
            }
          }
        } catch (IOException | InterruptedException e) {
          // the other pump or a reset closed the link
        } finally {
          close();
        }
      }, "fault-proxy-" + direction + "-" + from.getPort());
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      for (Socket socket : new Socket[] {client, server}) {
        try {
          socket.setSoLinger(true, 0); // close with RST instead of FIN
        } catch (IOException e) {
          // already closed
        }
      }
      close();
    }

    void close() {
      links.remove(this);
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}

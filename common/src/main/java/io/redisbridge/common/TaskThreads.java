package io.redisbridge.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The few threads a task owns (its Redis I/O, the read ahead): one daemon thread each, named after the
 * task so a thread dump says whose it is, and stopped without waiting long, since a stopping task first
 * closes its Redis client, which ends any call such a thread still waits on.
 */
public final class TaskThreads {

  private TaskThreads() {}

  /** One daemon thread named {@code name}. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Interrupts what {@code thread} runs and waits up to {@code waitMs} for it to end. */
  public static void stop(ExecutorService thread, long waitMs) {
    thread.shutdownNow();
    try {
      thread.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

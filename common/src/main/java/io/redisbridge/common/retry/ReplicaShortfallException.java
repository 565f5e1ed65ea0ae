package io.redisbridge.common.retry;

/**
 * Fewer replicas acknowledged a batch's writes (WAIT) than the connector requires. The writes are on the
 * primary but could be lost with it, so the batch counts as not done and is retried.
 */
public final class ReplicaShortfallException extends RuntimeException {

  public ReplicaShortfallException(String message) {
    super(message);
  }
}

package io.redisbridge.testing;

/** What a Connect REST call answered. */
public record RestResponse(int status, String body) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}

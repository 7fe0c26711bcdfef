package jp.kofu.gateway.edge;

import java.time.Duration;
import java.util.Objects;

/**
 * What the gRPC listener allows a client, so that overload becomes a fast refusal and no client can
 * hold the gateway.
 *
 * @param maxConnectionAge a connection is asked to go away (GOAWAY) after this long, so clients
 *     spread over gateways added since they connected (load balancers see new connections)
 * @param maxConnectionAgeGrace calls still running on such a connection get this long to finish
 * @param maxConcurrentCallsPerConnection streams one connection may have open at once (HTTP/2
 *     SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param maxRstFramesPerWindow RST_STREAM frames a client may send per {@code rstWindow} before its
 *     connection is closed (the HTTP/2 "rapid reset" flood, CVE-2023-44487)
 * @param rstWindow the window of {@code maxRstFramesPerWindow}
 * @param permitKeepAliveTime the shortest keepalive ping interval a client may use; pinging more
 *     often gets the connection closed (GOAWAY ENHANCE_YOUR_CALM). Copiers' channels must use a
 *     keepAliveTime of at least this (the contract's service config says 30 s)
 * @param maxConnectionIdle a connection without calls this long is closed
 * @param maxInFlightIssuances Issue calls one gateway runs at once; more are refused at once with
 *     RESOURCE_EXHAUSTED, GATEWAY_BUSY and a RetryInfo
 * @param callThreads threads that run calls (a bounded pool; it must exceed {@code
 *     maxInFlightIssuances} so refusals and short calls always find a thread)
 */
public record EdgeLimits(
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    int maxConcurrentCallsPerConnection,
    int maxRstFramesPerWindow,
    Duration rstWindow,
    Duration permitKeepAliveTime,
    Duration maxConnectionIdle,
    int maxInFlightIssuances,
    int callThreads) {

  public static final EdgeLimits DEFAULTS =
      new EdgeLimits(
          Duration.ofMinutes(30), Duration.ofMinutes(1), 100, 200, Duration.ofSeconds(10), Duration.ofSeconds(20),
          Duration.ofMinutes(5), 256, 512);

  public EdgeLimits {
    Objects.requireNonNull(maxConnectionAge, "maxConnectionAge");
    Objects.requireNonNull(maxConnectionAgeGrace, "maxConnectionAgeGrace");
    Objects.requireNonNull(rstWindow, "rstWindow");
    Objects.requireNonNull(permitKeepAliveTime, "permitKeepAliveTime");
    Objects.requireNonNull(maxConnectionIdle, "maxConnectionIdle");
    if (maxConcurrentCallsPerConnection < 1) {
      throw new IllegalArgumentException("max-concurrent-calls-per-connection: " + maxConcurrentCallsPerConnection + " (expected: at least 1)");
    }
    if (maxRstFramesPerWindow < 1) {
      throw new IllegalArgumentException("max-rst-frames-per-window: " + maxRstFramesPerWindow + " (expected: at least 1)");
    }
    if (maxInFlightIssuances < 1) {
      throw new IllegalArgumentException("max-in-flight-issuances: " + maxInFlightIssuances + " (expected: at least 1)");
    }
    if (callThreads <= maxInFlightIssuances) {
      throw new IllegalArgumentException(
          "call-threads: " + callThreads + " (expected: more than max-in-flight-issuances, " + maxInFlightIssuances + ")");
    }
  }
}

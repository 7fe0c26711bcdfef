/**
 * The gateway's metrics: Micrometer meters (per municipality: calls by outcome, latency, calls in
 * flight, circuit state and failure rate), served in the Prometheus text format by {@link
 * jp.kofu.gateway.metrics.MetricsEndpoint}. No meter carries personal data: tags are municipality
 * codes, operations and outcomes.
 */
package jp.kofu.gateway.metrics;

/**
 * The gateway's metrics: Micrometer meters, served in the Prometheus text format on the admin port
 * ({@link jp.kofu.gateway.admin.AdminEndpoint}). {@link jp.kofu.gateway.metrics.GatewayMetrics}
 * sets the registry up (histogram buckets, JVM and process, the journal's pool); {@link
 * jp.kofu.gateway.metrics.IssuanceMetrics} counts what the business cares about. No meter carries
 * personal data: tags are municipality codes, certificate types, methods, status codes, reasons and
 * outcomes, all from closed sets.
 */
package jp.kofu.gateway.metrics;

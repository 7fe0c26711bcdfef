/**
 * The one error mapping of the gateway: every refusal is a {@link jp.kofu.gateway.error.KofuException}
 * carrying a {@code kofu.type.v1.Reason}, turned into a gRPC status with a {@code
 * google.rpc.ErrorInfo} (domain {@code kofu.jp}) at the edge.
 */
package jp.kofu.gateway.error;

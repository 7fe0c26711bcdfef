/**
 * Municipalities reached over the network: the {@code remote} adapter ({@link
 * jp.kofu.issuer.remote.RemoteIssuerAdapter}), a gRPC client of a municipality-hosted {@code
 * kofu.issuer.v1.IssuerService} over mutual TLS, and {@link jp.kofu.issuer.remote.IssuerServer},
 * which serves any {@link jp.kofu.issuer.spi.IssuerAdapter} (the embedded one behind {@code ./kofu
 * issuer serve}) as such a service. {@link jp.kofu.issuer.remote.IssuerErrors} is the one mapping
 * between refusals and gRPC statuses of that protocol, used by both sides; {@link
 * jp.kofu.issuer.remote.IssuerProtos} converts the values.
 */
package jp.kofu.issuer.remote;

/**
 * Tracing (off by default): OpenTelemetry spans for the gRPC calls kofu serves and makes, W3C
 * {@code traceparent} propagated in gRPC metadata, OTLP export over HTTP. {@link
 * jp.kofu.trace.TraceSettings} is what an operator configures (the gateway's {@code tracing:}
 * section, {@code kofu issuer serve --trace-*}); {@link jp.kofu.trace.Tracing} is the running SDK
 * and its interceptors. When tracing is off neither is built and no interceptor is installed.
 */
package jp.kofu.trace;

package jp.kofu.grpc;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation kofu's gRPC listeners and channels use ({@code tls.provider}): BoringSSL
 * through netty-tcnative ({@code openssl}), the JDK's own ({@code jdk}), or BoringSSL where its
 * native library loads and the JDK's otherwise ({@code auto}, the default).
 *
 * <p>BoringSSL costs a fraction of the JDK's CPU per handshake and per record (bench/README.md,
 * "TLS provider"); the JDK's stays as the fallback on a platform without the native library.
 * Both speak the same protocols with the same certificates and trust managers.
 */
public enum TlsProvider {
  AUTO,
  JDK,
  OPENSSL;

  /** {@code auto}, {@code jdk} or {@code openssl}; {@code null} is {@code auto}. */
  public static TlsProvider parse(String text) {
    if (text == null || text.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' (expected: auto, jdk or openssl)");
    }
  }

  /** Whether netty-tcnative's BoringSSL loaded here, with the ALPN gRPC needs. */
  public static boolean openSslAvailable() {
    return OpenSsl.isAvailable() && OpenSsl.isAlpnSupported();
  }

  /** The implementation this choice means on this machine; {@code openssl} fails where it is missing. */
  public SslProvider sslProvider() {
    return switch (this) {
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!openSslAvailable()) {
          Throwable cause = OpenSsl.unavailabilityCause();
          throw new IllegalStateException(
              "tls.provider: openssl, but netty-tcnative's BoringSSL is not usable here ("
                  + (cause == null ? "no ALPN support" : cause.getMessage())
                  + "; expected: linux-x86_64 or another platform netty-tcnative-boringssl-static ships, or tls.provider: auto)",
              cause);
        }
        yield SslProvider.OPENSSL;
      }
      case AUTO -> openSslAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    };
  }

  /** {@code builder} set up for gRPC (HTTP/2, ALPN, ciphers) on this provider. */
  public SslContextBuilder configure(SslContextBuilder builder) {
    return GrpcSslContexts.configure(builder, sslProvider());
  }

  /** A client builder set up for gRPC on this provider. */
  public SslContextBuilder forClient() {
    return configure(SslContextBuilder.forClient());
  }

  /** The configuration value: {@code auto}, {@code jdk} or {@code openssl}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}

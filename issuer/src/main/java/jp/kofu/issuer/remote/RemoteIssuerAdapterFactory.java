package jp.kofu.issuer.remote;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.spi.SpiVersion;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.Pem;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.issuer.v1.DescribeRequest;
import jp.kofu.proto.issuer.v1.DescribeResponse;
import jp.kofu.proto.issuer.v1.IssuerServiceGrpc;

/**
 * Kind {@code remote}: municipalities served by their own issuer server (or a shared cloud). Settings:
 *
 * <ul>
 *   <li>{@code target} (required): {@code host:port} of the server;
 *   <li>{@code municipalities}: the comma-separated codes to route there; without it, the server is
 *       asked at start-up (Describe), which fails the start if it is unreachable;
 *   <li>{@code client-certificate}: a directory with {@code cert.pem} and {@code key.pem}, the
 *       gateway's client certificate; or a PEM certificate file with {@code client-key} its key
 *       file; default the development {@code TrustWorld.gatewayClient()} (development world only);
 *   <li>{@code trust}: a PEM file of the anchors of the server's certificate; default the development
 *       service CA;
 *   <li>{@code authority}: the name the server's certificate must carry; default the target's host;
 *   <li>{@code call-timeout}: a ceiling per call in seconds when no tighter deadline is set; default 30.
 * </ul>
 *
 * <p>With a {@link jp.kofu.trace.Tracing} among the context's services (the gateway's {@code
 * tracing:} section), each call is a client span and carries its {@code traceparent}.
 */
public final class RemoteIssuerAdapterFactory implements IssuerAdapterFactory {
  public static final String KIND = "remote";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public java.util.Set<String> settingNames() {
    return java.util.Set.of("target", "municipalities", "client-certificate", "client-key", "trust", "authority", "call-timeout", "tls-provider");
  }

  @Override
  public IssuerAdapter create(AdapterContext context) {
    String target = context.require("target");
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("adapter setting 'target': '" + target + "' (expected: host:port)");
    }
    String host = target.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("adapter setting 'target': '" + target + "' (expected: host:port)");
    }
    HeldCertificate client;
    List<X509Certificate> anchors;
    String clientDir = context.settings().get("client-certificate");
    String trust = context.settings().get("trust");
    String clientKey = context.settings().get("client-key");
    if ((clientDir == null || trust == null) && !context.services().containsKey(TrustWorld.class)) {
      throw new IllegalArgumentException(
          "adapter setting '" + (clientDir == null ? "client-certificate" : "trust") + "' is missing (expected: "
              + (clientDir == null ? "the gateway's client certificate, tls.client-certificate" : "the issuer servers' CA, trust.issuer-servers") + ")");
    }
    TrustWorld world = clientDir == null || trust == null ? context.service(TrustWorld.class) : null;
    try {
      if (clientDir == null) {
        client = world.gatewayClient();
      } else if (clientKey != null) {
        List<X509Certificate> chain = Pem.certificates(Path.of(clientDir));
        if (chain.isEmpty()) {
          throw new IllegalArgumentException("adapter setting 'client-certificate': " + clientDir + " holds no certificate");
        }
        client = new HeldCertificate(chain.get(0), Pem.keyPair(Path.of(clientKey), chain.get(0).getPublicKey()), chain.subList(1, chain.size()));
      } else {
        client = HeldCertificate.readFrom(Path.of(clientDir));
      }
      anchors = trust != null ? Pem.certificates(Path.of(trust)) : List.of(world.serviceCa().certificate());
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalArgumentException("adapter setting 'client-certificate'/'trust': unreadable (" + e.getCause().getClass().getSimpleName() + ")");
    }
    long seconds;
    try {
      seconds = Long.parseLong(context.setting("call-timeout", "30").strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("adapter setting 'call-timeout': '" + context.settings().get("call-timeout") + "' (expected: whole seconds, at least 1)");
    }
    if (seconds <= 0) {
      throw new IllegalArgumentException("adapter setting 'call-timeout': " + seconds + " (expected: whole seconds, at least 1)");
    }
    Duration callTimeout = Duration.ofSeconds(seconds);
    jp.kofu.grpc.TlsProvider tls;
    try {
      tls = jp.kofu.grpc.TlsProvider.parse(context.settings().get("tls-provider"));
      tls.sslProvider();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("adapter setting 'tls-provider': " + e.getMessage());
    }
    ManagedChannel channel;
    try {
      NettyChannelBuilder b =
          NettyChannelBuilder.forAddress(host, port)
              .sslContext(
                  tls.forClient()
                      .keyManager(client.privateKey(), client.chain().toArray(X509Certificate[]::new))
                      .trustManager(anchors.toArray(X509Certificate[]::new))
                      .build())
              .maxInboundMessageSize(16 * 1024 * 1024)
              .keepAliveTime(30, TimeUnit.SECONDS);
      jp.kofu.trace.Tracing tracing = (jp.kofu.trace.Tracing) context.services().get(jp.kofu.trace.Tracing.class);
      if (tracing != null) {
        // Tracing on (the gateway's tracing: section): a client span per call, its traceparent sent along.
        b.intercept(tracing.clientInterceptor());
      }
      String authority = context.settings().get("authority");
      if (authority != null) {
        b.overrideAuthority(authority);
      }
      channel = b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("adapter settings 'client-certificate'/'trust': unusable (" + e.getMessage() + ")");
    }
    Set<String> codes = new LinkedHashSet<>(context.list("municipalities"));
    SpiVersion serverVersion = null;
    try {
      if (codes.isEmpty()) {
        DescribeResponse d = describe(channel, target);
        codes.addAll(d.getMunicipalityCodesList());
        serverVersion = SpiVersion.parse(d.getSpiVersion());
      }
      for (String code : codes) {
        if (code.matches("[0-9]{6}") && !LocalGovernmentCode.isValid(code)) {
          throw new IllegalArgumentException(
              "adapter setting 'municipalities': '" + code + "' has a wrong check digit (expected: "
                  + code.substring(0, 5) + LocalGovernmentCode.checkDigit(code.substring(0, 5)) + " by JIS X 0402)");
        }
        if (!LocalGovernmentCode.isValid(code)) {
          throw new IllegalArgumentException("adapter setting 'municipalities': '" + code + "' (expected: 6-digit local-government codes)");
        }
      }
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
    return new RemoteIssuerAdapter(channel, codes, callTimeout, serverVersion);
  }

  private static DescribeResponse describe(ManagedChannel channel, String target) {
    DescribeResponse d;
    try {
      d = IssuerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).describe(DescribeRequest.getDefaultInstance());
    } catch (io.grpc.StatusRuntimeException e) {
      throw new IllegalArgumentException(
          "remote issuer " + target + ": Describe failed (" + e.getStatus().getCode() + "); name its codes in setting 'municipalities' to start without it");
    }
    SpiVersion theirs = SpiVersion.parse(d.getSpiVersion());
    if (theirs.major() != SpiVersion.CURRENT.major()) {
      throw new IllegalArgumentException("remote issuer " + target + " speaks SPI " + theirs + " (expected: " + SpiVersion.CURRENT.major() + ".x)");
    }
    return d;
  }
}

package jp.kofu.issuer.remote;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
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
 *       gateway's client certificate; default the development {@code TrustWorld.gatewayClient()};
 *   <li>{@code trust}: a PEM file of the anchors of the server's certificate; default the development
 *       service CA;
 *   <li>{@code authority}: the name the server's certificate must carry; default the target's host;
 *   <li>{@code call-timeout}: a ceiling per call in seconds when no tighter deadline is set; default 30.
 * </ul>
 */
public final class RemoteIssuerAdapterFactory implements IssuerAdapterFactory {
  public static final String KIND = "remote";

  @Override
  public String kind() {
    return KIND;
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
    TrustWorld world = clientDir == null || trust == null ? context.service(TrustWorld.class) : null;
    client = clientDir != null ? HeldCertificate.readFrom(Path.of(clientDir)) : world.gatewayClient();
    anchors = trust != null ? Pem.certificates(Path.of(trust)) : List.of(world.serviceCa().certificate());
    Duration callTimeout = Duration.ofSeconds(Long.parseLong(context.setting("call-timeout", "30")));
    ManagedChannel channel;
    try {
      NettyChannelBuilder b =
          NettyChannelBuilder.forAddress(host, port)
              .sslContext(
                  GrpcSslContexts.forClient()
                      .keyManager(client.privateKey(), client.chain().toArray(X509Certificate[]::new))
                      .trustManager(anchors.toArray(X509Certificate[]::new))
                      .build())
              .maxInboundMessageSize(16 * 1024 * 1024)
              .keepAliveTime(30, TimeUnit.SECONDS);
      String authority = context.settings().get("authority");
      if (authority != null) {
        b.overrideAuthority(authority);
      }
      channel = b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("adapter settings 'client-certificate'/'trust': unusable (" + e.getMessage() + ")");
    }
    Set<String> codes = new LinkedHashSet<>(context.list("municipalities"));
    try {
      if (codes.isEmpty()) {
        codes.addAll(describe(channel, target));
      }
      for (String code : codes) {
        if (!LocalGovernmentCode.isValid(code)) {
          throw new IllegalArgumentException("adapter setting 'municipalities': '" + code + "' (expected: 6-digit local-government codes)");
        }
      }
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
    return new RemoteIssuerAdapter(channel, codes, callTimeout);
  }

  private static List<String> describe(ManagedChannel channel, String target) {
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
    return d.getMunicipalityCodesList();
  }
}

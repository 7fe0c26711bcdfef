package jp.kofu.issuer.remote;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.proto.issuer.v1.IssuerServiceGrpc;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A municipality's issuance server (or a vendor's shared cloud serving many municipalities):
 * kofu.issuer.v1.IssuerService over gRPC with mutual TLS. Only clients whose certificate chains to
 * the configured anchors and whose subject CN is an allowed gateway name may call it. What runs behind
 * it is any {@link IssuerAdapter}: {@code ./kofu issuer serve} puts the embedded registry there.
 */
public final class IssuerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IssuerServer.class);

  /** The subject CN of the development gateway's client certificate ({@code TrustWorld.gatewayClient()}). */
  public static final String DEVELOPMENT_GATEWAY_CLIENT = "kofu gateway client";

  private final Server server;
  private final HealthStatusManager health;
  private final ExecutorService executor;
  private final List<IssuerAdapter> adapters;
  private final Duration shutdownGrace;

  private IssuerServer(Builder b) throws IOException {
    this.adapters = List.copyOf(b.adapters);
    this.shutdownGrace = b.shutdownGrace;
    Map<String, IssuerAdapter> byCode = new LinkedHashMap<>();
    for (IssuerAdapter a : adapters) {
      for (String code : a.municipalityCodes()) {
        if (byCode.put(code, a) != null) {
          throw new IllegalArgumentException("municipality " + code + " is served by two adapters");
        }
      }
    }
    SslContext tls =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(b.certificate.privateKey(), b.certificate.chain().toArray(X509Certificate[]::new)))
            .trustManager(b.clientAnchors.toArray(X509Certificate[]::new))
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("issuer-call-", 0).factory());
    this.health = new HealthStatusManager();
    NettyServerBuilder serverBuilder =
        NettyServerBuilder.forAddress(b.listen)
            .sslContext(tls)
            .executor(executor)
            .maxInboundMessageSize(1024 * 1024)
            .permitKeepAliveTime(20, TimeUnit.SECONDS);
    if (b.tracing != null) {
      // Tracing (off unless configured): a server span per call, child of the gateway's client span.
      serverBuilder.intercept(b.tracing.serverInterceptor());
    }
    this.server =
        serverBuilder
            .addService(jp.kofu.proto.StrictRequests.wrap(ServerInterceptors.intercept(new IssuerServiceImpl(byCode), new GatewayOnly(b.allowedClients))))
            .addService(health.getHealthService())
            // Reflection in both versions (v1alpha for tools that speak only it), behind the same mTLS.
            .addService(io.grpc.protobuf.services.ProtoReflectionServiceV1.newInstance())
            .addService(reflectionV1alpha())
            .build()
            .start();
    health.setStatus(IssuerServiceGrpc.SERVICE_NAME, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    java.net.InetSocketAddress listening = address();
    log.info("issuer server listening on {} serving {} municipalities", listening, byCode.size());
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  public int port() {
    return address().getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    jp.kofu.grpc.GracefulStop.stop(server, health, shutdownGrace, log);
    executor.shutdownNow();
    for (IssuerAdapter a : adapters) {
      try {
        a.close();
      } catch (RuntimeException e) {
        log.warn("closing an adapter: {}", e.getClass().getSimpleName());
      }
    }
  }

  /** Refuses a client whose certificate is not a gateway's (the TLS layer checked its chain). */
  private static final class GatewayOnly implements ServerInterceptor {
    private final Set<String> allowed;

    GatewayOnly(Set<String> allowed) {
      this.allowed = Set.copyOf(allowed);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String cn = clientCommonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      if (cn == null || !allowed.contains(cn)) {
        call.close(Status.UNAUTHENTICATED.withDescription("client certificate is not a gateway's"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }

    private static String clientCommonName(SSLSession session) {
      if (session == null) {
        return null;
      }
      try {
        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
        X500Principal subject = peer.getSubjectX500Principal();
        RDN[] cns = X500Name.getInstance(subject.getEncoded()).getRDNs(BCStyle.CN);
        return cns.length == 0 ? null : IETFUtils.valueToString(cns[0].getFirst().getValue());
      } catch (SSLPeerUnverifiedException | ClassCastException e) {
        return null;
      }
    }
  }

  /** What an issuer server needs. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private HeldCertificate certificate;
    private List<X509Certificate> clientAnchors = List.of();
    private Set<String> allowedClients = Set.of(DEVELOPMENT_GATEWAY_CLIENT);
    private final List<IssuerAdapter> adapters = new ArrayList<>();
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private jp.kofu.trace.Tracing tracing;

    /** Spans of the calls served, their parents the gateways' (null, the default: no tracing). The caller closes it. */
    public Builder tracing(jp.kofu.trace.Tracing tracing) {
      this.tracing = tracing;
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = Objects.requireNonNull(listen, "listen");
      return this;
    }

    /** The server's TLS certificate ({@code TrustWorld.issuerServer()} in development). */
    public Builder certificate(HeldCertificate certificate) {
      this.certificate = certificate;
      return this;
    }

    /** Anchors of the gateways' client certificates (the service CA in development). */
    public Builder clientAnchors(List<X509Certificate> anchors) {
      this.clientAnchors = List.copyOf(anchors);
      return this;
    }

    /** Subject CNs of the client certificates allowed to call. */
    public Builder allowedClients(Set<String> commonNames) {
      this.allowedClients = Set.copyOf(commonNames);
      return this;
    }

    public Builder adapter(IssuerAdapter adapter) {
      this.adapters.add(Objects.requireNonNull(adapter, "adapter"));
      return this;
    }

    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = d;
      return this;
    }

    public IssuerServer start() {
      Objects.requireNonNull(certificate, "certificate");
      if (clientAnchors.isEmpty()) {
        throw new IllegalArgumentException("clientAnchors: empty (expected: the CA of the gateways' client certificates)");
      }
      try {
        return new IssuerServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + listen, e);
      }
    }
  }

  /** The v1alpha reflection service: deprecated by grpc-java in favour of v1, still what some tools speak. */
  @SuppressWarnings("deprecation")
  private static io.grpc.BindableService reflectionV1alpha() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }
}

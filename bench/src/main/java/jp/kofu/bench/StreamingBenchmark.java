package jp.kofu.bench;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.proto.kiosk.v1.DocumentChunk;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.kiosk.v1.IssueTrailer;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming a document: the gateway (a retried order is streamed from the journal: session check,
 * journal read, flow-controlled chunks) against bare grpc-java streaming the same bytes, in the
 * same 64 KiB chunks with the same flow control, over the same mTLS loopback, to the same client.
 * The difference is the gateway's overhead on streaming.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class StreamingBenchmark {
  private BenchWorld world;
  private Copier toGateway;
  private Copier toBare;
  private Server bare;
  private ByteString token;
  private String orderId;
  private String municipality;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    world = new BenchWorld(60, 1);
    BenchWorld.Holder holder = world.holders.get(0);
    toGateway = world.copier("streaming");
    token = toGateway.authenticate(toGateway.openSession(), holder.card(), holder.entry().pin()).getSessionToken();
    orderId = UUID.randomUUID().toString();
    municipality = holder.entry().municipalityCode();
    ReceivedDocument first = toGateway.issue(token, orderId, municipality, BenchWorld.RESIDENCE);
    bare = bareServer(world.world.pki(), first.header(), first.pdf());
    toBare =
        new Copier(
            new InetSocketAddress("127.0.0.1", bare.getPort()),
            world.world.pki().terminal("bench", "store-1", "bare"),
            world.world.pki().serviceCa().certificate(),
            List.of(world.world.pki().municipalCa().certificate()));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    toBare.close();
    bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    world.close();
  }

  @Benchmark
  public ReceivedDocument gateway() {
    return toGateway.issue(token, orderId, municipality, BenchWorld.RESIDENCE);
  }

  @Benchmark
  public ReceivedDocument bareGrpc() {
    return toBare.issue(token, orderId, municipality, BenchWorld.RESIDENCE);
  }

  static Server bareServer(TrustWorld pki, IssueHeader header, byte[] pdf) throws Exception {
    return bareServer(pki, header, pdf, null);
  }

  /**
   * Bare grpc-java serving that document, and a constant OpenSession answer (a connection's one
   * small call), over {@code tls} (null: grpc-java's own choice, BoringSSL where it loads).
   */
  static Server bareServer(TrustWorld pki, IssueHeader header, byte[] pdf, SslProvider tls) throws Exception {
    HeldCertificate cert = pki.gatewayServer();
    OpenSessionResponse session = OpenSessionResponse.newBuilder().setChallenge(ByteString.copyFrom(new byte[32])).build();
    ByteString bytes = ByteString.copyFrom(pdf);
    ByteString sha = ByteString.copyFrom(X509.sha256(pdf));
    KioskServiceGrpc.KioskServiceImplBase service =
        new KioskServiceGrpc.KioskServiceImplBase() {
          @Override
          public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> response) {
            response.onNext(session);
            response.onCompleted();
          }

          @Override
          public void issue(IssueRequest request, StreamObserver<IssueResponse> response) {
            ServerCallStreamObserver<IssueResponse> out = (ServerCallStreamObserver<IssueResponse>) response;
            int[] state = {-1, 0}; // -1: header not sent; then offset
            int[] chunks = {0};
            Runnable drain =
                () -> {
                  while (out.isReady() && state[0] != Integer.MAX_VALUE) {
                    if (state[0] == -1) {
                      out.onNext(IssueResponse.newBuilder().setHeader(header).build());
                      state[0] = 0;
                    } else if (state[0] < bytes.size()) {
                      int n = Math.min(64 * 1024, bytes.size() - state[0]);
                      out.onNext(
                          IssueResponse.newBuilder()
                              .setChunk(DocumentChunk.newBuilder().setOffset(state[0]).setData(bytes.substring(state[0], state[0] + n)))
                              .build());
                      state[0] += n;
                      chunks[0]++;
                    } else {
                      out.onNext(IssueResponse.newBuilder().setTrailer(IssueTrailer.newBuilder().setChunkCount(chunks[0]).setSha256(sha)).build());
                      out.onCompleted();
                      state[0] = Integer.MAX_VALUE;
                    }
                  }
                };
            out.setOnReadyHandler(drain);
            drain.run();
          }
        };
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(
            (tls == null
                    ? GrpcSslContexts.configure(SslContextBuilder.forServer(cert.privateKey(), cert.chain().toArray(X509Certificate[]::new)))
                    : GrpcSslContexts.configure(SslContextBuilder.forServer(cert.privateKey(), cert.chain().toArray(X509Certificate[]::new)), tls))
                .trustManager(pki.terminalCa().certificate())
                .clientAuth(ClientAuth.OPTIONAL)
                .build())
        .addService(service)
        .build()
        .start();
  }
}

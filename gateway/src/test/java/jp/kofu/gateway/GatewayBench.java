package jp.kofu.gateway;

import jp.kofu.testing.FakeClock;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.revocation.RevocationSettings;
import jp.kofu.gateway.routing.FeedCardDirectory;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.pki.ocsp.OcspResponder;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import jp.kofu.testing.GrpcCleanup;
import jp.kofu.testing.LeakCheck;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gateways without municipalities, for everything that happens before issuance — terminals,
 * cards, challenges, sessions, revocation, limits — in well under a second each. One bench holds
 * what a cluster shares: the trust world and its OCSP responder, the card directory, the cluster
 * secret and the clock; start as many gateways on it as a test needs.
 *
 * <p>{@code new GatewayBench()}: copiers connect over real TLS sockets (what TLS and the transport
 * do is tested). {@link #inProcess()}: copiers call the gateway's kiosk service on grpc-java's
 * in-process transport, every interceptor included, their terminal certificate given to the call
 * as its TLS session ({@link InProcessTerminal}): for what the services decide, where sockets are
 * not what is tested. As {@code @RegisterExtension static final GatewayBench bench = ...}, JUnit
 * closes it after the class and fails the class if anything it or its tests started still runs.
 */
final class GatewayBench implements AutoCloseable, AfterAllCallback {
  static final String MUNICIPALITY = "131016";

  private final LeakCheck.Snapshot before = LeakCheck.snapshot();
  private final boolean inProcess;
  private final GrpcCleanup grpc = new GrpcCleanup();
  final FakeClock clock = FakeClock.inServiceHours();
  final TrustWorld pki = TrustWorld.generate(clock);
  final OcspResponder responder = OcspResponder.start(pki, new InetSocketAddress("127.0.0.1", 0));
  final FeedCardDirectory directory = new FeedCardDirectory();
  final byte[] secret = new byte[32];
  private final List<AutoCloseable> open = new ArrayList<>();

  GatewayBench() {
    this(false);
  }

  private GatewayBench(boolean inProcess) {
    this.inProcess = inProcess;
    new SecureRandom().nextBytes(secret);
  }

  /** A bench whose copiers reach the gateways on grpc-java's in-process transport. */
  static GatewayBench inProcess() {
    return new GatewayBench(true);
  }

  /** Cards by OCSP against the bench's responder, copiers by its terminal CA CRL. */
  RevocationSettings ocsp() {
    return RevocationSettings.ocsp(responder.ocspUri(), crls());
  }

  /** Cards and copiers by the responder's CRLs. */
  RevocationSettings crl() {
    return RevocationSettings.crl(crls());
  }

  List<java.net.URI> crls() {
    return List.of(responder.crlUri(pki.cardCa()), responder.crlUri(pki.smartphoneCa()), responder.crlUri(pki.terminalCa()));
  }

  Gateway.Builder builder(Database journal) {
    return Gateway.builder()
        .serverCertificate(pki.gatewayServer())
        .terminalAnchors(List.of(pki.terminalCa().certificate()))
        .cardTrust(
            CardTrust.of(
                List.of(pki.cardRoot().certificate()), List.of(pki.cardCa().certificate()), List.of(pki.smartphoneCa().certificate())))
        .municipalAnchors(List.of(pki.municipalCa().certificate()))
        .secret(secret)
        .journal(journal)
        .cardDirectory(directory)
        .clock(clock)
        .revocation(ocsp())
        .shutdownGrace(java.time.Duration.ofSeconds(1));
  }

  /** A gateway on an in-memory H2 journal of its own. */
  Gateway start(Consumer<Gateway.Builder> customize) {
    return start(Databases.fresh(Databases.Kind.H2, IssuanceJournal.MIGRATIONS), customize);
  }

  Gateway start(Database journal, Consumer<Gateway.Builder> customize) {
    Gateway.Builder b = builder(journal);
    customize.accept(b);
    Gateway g = b.start();
    open.add(g);
    return g;
  }

  /** A copier of the test chain with its own terminal certificate, connected to {@code gateway}. */
  Copier copier(Gateway gateway, String terminal) {
    return copier(gateway, pki.terminal("test-chain", "store-1", terminal));
  }

  Copier copier(Gateway gateway, HeldCertificate terminalCertificate) {
    Copier c =
        inProcess
            ? new Copier(
                grpc.server().service(gateway.kioskService()).transportFilter(new InProcessTerminal(terminalCertificate)).start(),
                List.of(pki.municipalCa().certificate()),
                clock)
            : new Copier(gateway.address(), terminalCertificate, pki.serviceCa().certificate(), List.of(pki.municipalCa().certificate()));
    open.add(0, c);
    return c;
  }

  /** A channel that presents no client certificate at all. */
  KioskServiceGrpc.KioskServiceBlockingStub anonymous(Gateway gateway) {
    try {
      ManagedChannel ch =
          NettyChannelBuilder.forAddress(gateway.address())
              .sslContext(GrpcSslContexts.forClient().trustManager(pki.serviceCa().certificate()).build())
              .build();
      open.add(0, ch::shutdownNow);
      return KioskServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new card known to the directory (usable since yesterday), with PIN 1234. */
  SimulatedCard card() {
    return register(pki.newCard(), false);
  }

  SimulatedCard smartphone() {
    return register(pki.newSmartphoneCredential(), true);
  }

  SimulatedCard register(HeldCertificate held, boolean smartphone) {
    X509Certificate issuer = held.intermediates().get(0);
    directory.put(X509.keyId(issuer), held.serialHex(), MUNICIPALITY, LocalDate.of(2000, 1, 1));
    return new SimulatedCard(held, "1234", smartphone);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
    before.assertNothingLeaked();
  }

  @Override
  public void close() {
    grpc.close();
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a test fixture
      }
    }
    responder.close();
  }
}

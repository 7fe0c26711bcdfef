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

/**
 * Gateways without municipalities, for everything that happens before issuance — terminals,
 * cards, challenges, sessions, revocation, limits — on real TLS sockets, in well under a second
 * each. One bench holds what a cluster shares: the trust world and its OCSP responder, the card
 * directory, the cluster secret and the clock; start as many gateways on it as a test needs.
 */
final class GatewayBench implements AutoCloseable {
  static final String MUNICIPALITY = "131016";

  final FakeClock clock = FakeClock.inServiceHours();
  final TrustWorld pki = TrustWorld.generate(clock);
  final OcspResponder responder = OcspResponder.start(pki, new InetSocketAddress("127.0.0.1", 0));
  final FeedCardDirectory directory = new FeedCardDirectory();
  final byte[] secret = new byte[32];
  private final List<AutoCloseable> open = new ArrayList<>();

  GatewayBench() {
    new SecureRandom().nextBytes(secret);
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
    Copier c = new Copier(gateway.address(), terminalCertificate, pki.serviceCa().certificate(), List.of(pki.municipalCa().certificate()));
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
  public void close() {
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

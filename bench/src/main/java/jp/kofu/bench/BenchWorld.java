package jp.kofu.bench;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Offering;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;

/** A whole world in this JVM for benchmarks, and the cards in it that may be issued for. */
final class BenchWorld implements AutoCloseable {
  static final CertificateRequest RESIDENCE = CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();

  /** A card whose holder may get a certificate of residence. */
  record Holder(CardWallet.Entry entry, SimulatedCard card) {}

  final EmbeddedWorld world;
  final List<Holder> holders = new ArrayList<>();
  private final List<Copier> copiers = new ArrayList<>();

  BenchWorld(int residents, int holdersWanted) {
    // A benchmark copier makes thousands of calls a minute: above any real copier's rate limit.
    world =
        EmbeddedWorld.start(
            EmbeddedWorld.options()
                .residentsEach(residents)
                .clock(jp.kofu.testing.FakeClock.inServiceHours())
                .gateway(
                    (b, responder) ->
                        b.terminalRateLimit(10_000_000, java.time.Duration.ofMinutes(1))
                            // A cold JVM on a machine shared with other builds can take longer
                            // than the production deadline for its first documents.
                            .isolation(
                                new jp.kofu.gateway.routing.Isolation(
                                    java.time.Duration.ofSeconds(60), 64, jp.kofu.gateway.routing.Isolation.Breaker.defaults()))));
    CardWallet wallet = CardWallet.open(world.walletDir(), world.pki()).withKeyPool(8);
    Copier probe = copier("probe");
    for (CardWallet.Entry e : wallet.entries()) {
      if (holders.size() == holdersWanted) {
        break;
      }
      SimulatedCard card = wallet.card(e.residentId());
      ByteString token;
      try {
        token = probe.authenticate(probe.openSession(), card, e.pin()).getSessionToken();
      } catch (RuntimeException | SimulatedCard.PinException ex) {
        continue;
      }
      for (MunicipalityOfferings m : probe.offerings(token).getMunicipalitiesList()) {
        for (Offering o : m.getOfferingsList()) {
          if (o.getType() == CertificateType.CERTIFICATE_TYPE_RESIDENCE && o.getAvailable()) {
            holders.add(new Holder(e, card));
          }
        }
      }
      probe.closeSession(token);
    }
  }

  synchronized Copier copier(String terminal) {
    Copier c = Copier.forWorld(world.address(), world.pki(), "bench", "store-1", terminal);
    copiers.add(c);
    return c;
  }

  @Override
  public void close() {
    copiers.forEach(Copier::close);
    world.close();
  }
}

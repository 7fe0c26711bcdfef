package jp.kofu.gateway;

import jp.kofu.testing.FakeClock;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;

/**
 * A whole world for a test in one line — trust world, seeded municipality, gateway on a real TLS
 * socket — plus what a test needs to look behind it: the card holders' wallet and the registry.
 */
public final class TestWorld implements AutoCloseable {
  public final EmbeddedWorld world;
  public final CardWallet wallet;
  public final ResidentRegistry registry;
  private final Database registryDb;
  private final List<Copier> copiers = new ArrayList<>();

  private TestWorld(EmbeddedWorld world) {
    this.world = world;
    this.wallet = CardWallet.open(world.walletDir(), world.pki());
    this.registryDb =
        Database.open(ResidentRegistry.embeddedUrl(world.dataDir().resolve("issuer")), "sa", "", ResidentRegistry.MIGRATIONS, 2);
    this.registry = new ResidentRegistry(registryDb);
  }

  /** A world on a clock in service hours (see {@link FakeClock#inServiceHours}). */
  public static TestWorld start() {
    return start(EmbeddedWorld.options().clock(FakeClock.inServiceHours()));
  }

  public static TestWorld start(EmbeddedWorld.Options options) {
    return new TestWorld(EmbeddedWorld.start(options));
  }

  /** A copier with its own terminal certificate, closed with the world. */
  public synchronized Copier copier(String terminal) {
    Copier c = Copier.forWorld(world.address(), world.pki(), "test-chain", "store-1", terminal);
    copiers.add(c);
    return c;
  }

  public Resident resident(long id) {
    try {
      return registry.resident(id).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every resident of the registry (to check that nobody else's data leaks into a document). */
  public List<Resident> allResidents() {
    List<Resident> out = new ArrayList<>();
    try {
      long next = new jp.kofu.issuer.seed.RegistryWriter(registry.database()).nextId("resident");
      for (long id = 1; id < next; id++) {
        registry.resident(id).ifPresent(out::add);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The specimen residents the world was seeded with (one per refusal, and issuable ones). */
  public List<Specimen> specimens() {
    if (!java.nio.file.Files.exists(world.specimenIndex())) {
      return List.of(); // a world seeded without specimens
    }
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(world.specimenIndex())) {
      return lines.skip(1).map(Specimen::parse).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public Specimen specimen(String reason, String note) {
    return specimens().stream()
        .filter(s -> s.reason().equals(reason) && (note == null || s.note().contains(note)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no specimen " + reason + " " + note));
  }

  /**
   * Cards whose holders may get a certificate of residence at a store today (the world's today),
   * specimens left out.
   */
  public List<CardWallet.Entry> eligibleCards(int max) {
    LocalDate today = JapanTime.date(world.clock().instant());
    java.util.Set<Long> specimens = new java.util.HashSet<>();
    specimens().forEach(s -> specimens.add(s.residentId()));
    List<CardWallet.Entry> out = new ArrayList<>();
    for (CardWallet.Entry e : wallet.entries()) {
      if (specimens.contains(e.residentId())) {
        continue;
      }
      Resident r = resident(e.residentId());
      CardRecord card;
      try {
        card = registry.findCard(e.issuerKeyId(), e.serial()).orElseThrow();
      } catch (SQLException ex) {
        throw new IllegalStateException(ex);
      }
      if (r.status() == ResidentStatus.ACTIVE && !r.supportMeasure() && !r.gaijiPending() && r.ageOn(today) >= 15
          && !today.equals(r.movedInOn()) && !card.usableFrom().isAfter(today)) {
        out.add(e);
        if (out.size() == max) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    copiers.forEach(Copier::close);
    registryDb.close();
    world.close();
  }
}

package jp.kofu.sim.card;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;

/**
 * The card holders' side of the seeded world: which resident carries which card (serial) and knows
 * which PIN, from the seed's wallet index {@code cards.csv}. A card's certificate and key are made
 * by the development card CA the first time the card is used, and kept in {@code cards/SERIAL/}
 * with the card's chip ({@code chip.properties}: its PIN and remaining tries).
 */
public final class CardWallet {
  /** One seeded card. */
  public record Entry(long residentId, String municipalityCode, String issuerKeyId, String serial, String kind, String pin) {
    public boolean smartphone() {
      return "SMARTPHONE".equals(kind);
    }
  }

  private final Path dir;
  private final TrustWorld pki;
  private final Map<Long, Entry> byResident;
  private final Map<String, SimulatedCard> cards = new ConcurrentHashMap<>();
  private final java.util.List<java.security.KeyPair> keyPool;

  private CardWallet(Path dir, TrustWorld pki, Map<Long, Entry> byResident, java.util.List<java.security.KeyPair> keyPool) {
    this.dir = dir;
    this.pki = pki;
    this.byResident = Collections.unmodifiableMap(byResident);
    this.keyPool = keyPool;
  }

  /**
   * The same wallet, but cards made from now on take their keys from a pool of {@code size}
   * key pairs instead of a fresh one each: thousands of cards for a load test in seconds. Each
   * card still has its own certificate and serial, which is what identifies it.
   */
  public CardWallet withKeyPool(int size) {
    java.util.List<java.security.KeyPair> pool = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      pool.add(jp.kofu.pki.X509.newRsaKeyPair());
    }
    return new CardWallet(dir, pki, byResident, java.util.List.copyOf(pool));
  }

  public static CardWallet open(Path walletDir, TrustWorld pki) {
    Path index = walletDir.resolve("cards.csv");
    Map<Long, Entry> entries = new LinkedHashMap<>();
    if (Files.exists(index)) {
      try (BufferedReader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
        r.readLine();
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          String[] f = line.split(",", -1);
          entries.put(Long.parseLong(f[0]), new Entry(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], f[5]));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new CardWallet(walletDir, pki, entries, java.util.List.of());
  }

  public Optional<Entry> entry(long residentId) {
    return Optional.ofNullable(byResident.get(residentId));
  }

  public List<Entry> entries() {
    return new ArrayList<>(byResident.values());
  }

  public List<Entry> entries(String municipalityCode) {
    return byResident.values().stream().filter(e -> e.municipalityCode().equals(municipalityCode)).toList();
  }

  /** The resident's card, made on first use. */
  public SimulatedCard card(long residentId) {
    Entry e = entry(residentId).orElseThrow(() -> new IllegalArgumentException("resident " + residentId + " has no card in the wallet"));
    return cards.computeIfAbsent(
        e.serial(),
        serial -> {
          Path cardDir = dir.resolve("cards").resolve(serial);
          HeldCertificate held;
          if (Files.exists(cardDir.resolve("key.pem"))) {
            held = HeldCertificate.readFrom(cardDir);
          } else {
            held =
                keyPool.isEmpty()
                    ? pki.cardWithSerial(serial, e.smartphone())
                    : pki.cardWithSerial(serial, e.smartphone(), keyPool.get(Math.floorMod(serial.hashCode(), keyPool.size())));
            held.writeTo(cardDir);
          }
          return SimulatedCard.open(cardDir, held, e.pin(), e.smartphone());
        });
  }
}

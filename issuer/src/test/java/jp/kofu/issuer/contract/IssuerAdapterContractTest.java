package jp.kofu.issuer.contract;

import static jp.kofu.testing.PdfText.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.testing.PdfText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every issuer adapter keeps (the rules in {@link IssuerAdapter}'s Javadoc), as one
 * abstract test that each adapter's test extends — kofu's embedded adapter on H2 and PostgreSQL, the
 * remote adapter in front of an issuer server, and third-party plugins (docs/PLUGINS.md).
 *
 * <p>Issuance is checked in both forms: the one call of SPI 1.1 ({@link
 * IssuerAdapter#issue(CardIssueCommand)}, the adapter resolves the card) and the pair of SPI 1.0
 * ({@code resolveCard}, then {@link IssuerAdapter#issue(IssueCommand)}). An adapter written against
 * 1.0 passes the first by the SPI's default method ({@code Spi10Adapter} proves it).
 *
 * <p>A subclass builds its adapter and says what the test may rely on ({@link Fixture}): a few
 * residents who can get a 住民票の写し today, one who is refused, and the anchors of the
 * municipality's signing key. Each documents is checked with kofu's independent verifier: its PAdES
 * signature chains to the anchors, it is signed for the municipality asked, it carries the binding
 * and issuance id of its own command, and its text names its own resident and no other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class IssuerAdapterContractTest {
  /**
   * What the adapter under test serves.
   *
   * @param holders at least four residents of {@code municipalityCode} who can get a 住民票の写し
   *     (RESIDENCE, SELF, one copy, no options) today, with distinct names
   * @param refused a card whose holder is refused RESIDENCE today, and the reason
   * @param signingAnchors the trust anchors of the municipality's document-signing certificate
   * @param now the instant the test's requests carry
   */
  public record Fixture(
      IssuerAdapter adapter,
      String municipalityCode,
      List<Holder> holders,
      Refused refused,
      List<X509Certificate> signingAnchors,
      Instant now) {
    public Fixture {
      Objects.requireNonNull(adapter, "adapter");
      holders = List.copyOf(holders);
      if (holders.size() < 4) {
        throw new IllegalArgumentException("holders: " + holders.size() + " (expected: at least 4)");
      }
      signingAnchors = List.copyOf(signingAnchors);
    }
  }

  /** A card and the name (as printed) of its holder. */
  public record Holder(CardRef card, String name) {
    @Override
    public String toString() {
      return "Holder[" + card.serial() + "]";
    }
  }

  /** A card whose holder is refused, and why (as the adapter reports it, confidential reasons included). */
  public record Refused(CardRef card, RefusalReason reason) {}

  private Fixture fixture;

  /** Builds the adapter and what the test may rely on; called once before the tests. */
  protected abstract Fixture createFixture() throws Exception;

  /** Releases what {@link #createFixture} made besides the adapter (which the test closes). */
  protected void releaseFixture() throws Exception {}

  @BeforeAll
  final void setUpContract() throws Exception {
    fixture = createFixture();
  }

  @AfterAll
  final void tearDownContract() throws Exception {
    if (fixture != null) {
      fixture.adapter().close();
    }
    releaseFixture();
  }

  protected final Fixture fixture() {
    return fixture;
  }

  // ---- resolve

  @Test
  void servesTheMunicipalityOfTheFixture() {
    assertThat(fixture.adapter().municipalityCodes()).contains(fixture.municipalityCode());
  }

  @Test
  void resolvesEachCardToItsOwnOpaqueHandle() throws Exception {
    Set<String> handles = new HashSet<>();
    for (Holder h : fixture.holders()) {
      ResidentRef ref = resolve(h.card());
      assertThat(ref.residentHandle()).isNotBlank().doesNotContain(h.card().serial());
      assertThat(normalize(ref.residentHandle())).doesNotContain(normalize(h.name()));
      handles.add(ref.residentHandle());
      // Stable: the same card resolves to the same handle.
      assertThat(resolve(h.card()).residentHandle()).isEqualTo(ref.residentHandle());
    }
    assertThat(handles).hasSize(fixture.holders().size());
  }

  @Test
  void anUnknownCardIsNotRegistered() {
    CardRef stranger = new CardRef(randomSerial(), fixture.holders().get(0).card().issuerKeyId(), CardRef.CredentialKind.CARD);
    assertThatThrownBy(() -> resolve(stranger))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.CARD_NOT_REGISTERED));
  }

  // ---- offerings

  @Test
  void offersACertificateOfResidenceToAResidentWhoCanGetOne() throws Exception {
    Holder h = fixture.holders().get(0);
    MunicipalityOfferings offerings = offerings(resolve(h.card()).residentHandle());
    assertThat(offerings.municipalityName()).isNotBlank();
    assertThat(offerings.offerings())
        .anySatisfy(o -> {
          assertThat(o.type()).isEqualTo(CertificateType.RESIDENCE);
          assertThat(o.available()).isTrue();
          assertThat(o.maxCopies()).isPositive();
          assertThat(o.feeYen()).isNotNegative();
        });
    for (Offering o : offerings.offerings()) {
      // A copier may never learn of a support measure.
      assertThat(o.unavailableReason()).isNotEqualTo(RefusalReason.SUPPORT_MEASURE);
    }
  }

  @Test
  void offeringsShowWhyTheRefusedResidentCannotGetOne() throws Exception {
    MunicipalityOfferings offerings = offerings(resolve(fixture.refused().card()).residentHandle());
    assertThat(offerings.offerings())
        .filteredOn(o -> o.type() == CertificateType.RESIDENCE)
        .allSatisfy(o -> assertThat(o.unavailableReason()).isEqualTo(fixture.refused().reason().shownToCopier()));
  }

  // ---- issue

  @Test
  void issuesASignedDocumentBoundToItsCommandForItsResidentOnly() throws Exception {
    Holder h = fixture.holders().get(0);
    IssueCommand command = command(h, resolve(h.card()).residentHandle(), CertificateRequest.of(CertificateType.RESIDENCE));

    IssuedDocument document = fixture.adapter().issue(command);

    assertBelongsTo(document, command, h);
  }

  @Test
  void aRuleOfTheMunicipalityRefusesWithItsReason() throws Exception {
    CardRef card = fixture.refused().card();
    String handle = resolve(card).residentHandle();
    IssueCommand command = command(new Holder(card, "-"), handle, CertificateRequest.of(CertificateType.RESIDENCE));

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(fixture.refused().reason()));
  }

  @Test
  void tooManyCopiesAreRefused() throws Exception {
    Holder h = fixture.holders().get(1);
    CertificateRequest many = new CertificateRequest(CertificateType.RESIDENCE, Set.of(), HouseholdScope.SELF, List.of(), 1000, 0);
    IssueCommand command = command(h, resolve(h.card()).residentHandle(), many);

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.COPIES_OUT_OF_RANGE));
  }

  /** A card that does not belong to the handle must not produce the handle's resident's document. */
  @Test
  void aCardThatDoesNotMapToTheResidentIsRefused() throws Exception {
    Holder a = fixture.holders().get(0);
    Holder b = fixture.holders().get(1);
    IssueCommand command = command(b, resolve(a.card()).residentHandle(), CertificateRequest.of(CertificateType.RESIDENCE));

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.CARD_NOT_REGISTERED));
  }

  @Test
  void anUnknownHandleIsRefused() {
    Holder h = fixture.holders().get(0);
    IssueCommand command = command(h, "no-such-handle-" + randomSerial(), CertificateRequest.of(CertificateType.RESIDENCE));

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.CARD_NOT_REGISTERED));
  }

  // ---- issue in one call (SPI 1.1; adapters of 1.0 by the SPI's default method)

  @Test
  void issuesForTheHolderOfTheCardInOneCall() throws Exception {
    Holder h = fixture.holders().get(0);
    CardIssueCommand command = command(h, CertificateRequest.of(CertificateType.RESIDENCE));

    IssuedDocument document = fixture.adapter().issue(command);

    assertBelongsTo(document, command.forResident("-"), h);
  }

  @Test
  void theOneCallRefusesWithTheRulesReason() {
    CardIssueCommand command = command(new Holder(fixture.refused().card(), "-"), CertificateRequest.of(CertificateType.RESIDENCE));

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(fixture.refused().reason()));
  }

  @Test
  void theOneCallRefusesAnUnknownCardAsNotRegistered() {
    CardRef stranger = new CardRef(randomSerial(), fixture.holders().get(0).card().issuerKeyId(), CardRef.CredentialKind.CARD);
    CardIssueCommand command = command(new Holder(stranger, "-"), CertificateRequest.of(CertificateType.RESIDENCE));

    assertThatThrownBy(() -> fixture.adapter().issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.CARD_NOT_REGISTERED));
  }

  @Test
  void theOneCallRefusesTooManyCopies() {
    Holder h = fixture.holders().get(1);
    CertificateRequest many = new CertificateRequest(CertificateType.RESIDENCE, Set.of(), HouseholdScope.SELF, List.of(), 1000, 0);

    assertThatThrownBy(() -> fixture.adapter().issue(command(h, many)))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.COPIES_OUT_OF_RANGE));
  }

  /** The Kawasaki failure again, through the one call: each document its own card's holder's. */
  @Test
  void concurrentOneCallIssuancesEachGetTheirOwnDocument() throws Exception {
    List<Holder> holders = fixture.holders();
    ExecutorService pool = Executors.newFixedThreadPool(holders.size() * 2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        for (Holder h : holders) {
          CardIssueCommand command = command(h, CertificateRequest.of(CertificateType.RESIDENCE));
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    assertBelongsTo(fixture.adapter().issue(command), command.forResident("-"), h);
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : results) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- concurrency and interruption

  /**
   * The Kawasaki failure: residents at different stores in the same second. Every document carries
   * its own command's binding and its own resident's name, never another's.
   */
  @Test
  void concurrentIssuancesInTheSameInstantEachGetTheirOwnDocument() throws Exception {
    int rounds = 3;
    List<Holder> holders = fixture.holders();
    List<String> handles = new ArrayList<>();
    for (Holder h : holders) {
      handles.add(resolve(h.card()).residentHandle());
    }
    ExecutorService pool = Executors.newFixedThreadPool(holders.size() * rounds);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < holders.size(); i++) {
          Holder h = holders.get(i);
          IssueCommand command = command(h, handles.get(i), CertificateRequest.of(CertificateType.RESIDENCE));
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    assertBelongsTo(fixture.adapter().issue(command), command, h);
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : results) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The gateway interrupts a call past its deadline. The call must end (with its own document or an
   * exception), and the adapter must go on serving others correctly: nothing of the aborted call may
   * reach the next one.
   */
  @Test
  void anInterruptedCallEndsAndLeavesNothingBehind() throws Exception {
    Holder a = fixture.holders().get(2);
    Holder b = fixture.holders().get(3);
    IssueCommand aborted = command(a, resolve(a.card()).residentHandle(), CertificateRequest.of(CertificateType.RESIDENCE));
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform().start(
            () -> {
              Thread.currentThread().interrupt();
              try {
                outcome.set(fixture.adapter().issue(aborted));
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    caller.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(caller.isAlive()).as("an interrupted call must end").isFalse();
    if (outcome.get() instanceof IssuedDocument d) {
      assertBelongsTo(d, aborted, a);
    }

    IssueCommand next = command(b, resolve(b.card()).residentHandle(), CertificateRequest.of(CertificateType.RESIDENCE));
    assertBelongsTo(fixture.adapter().issue(next), next, b);
  }

  // ---- helpers

  private ResidentRef resolve(CardRef card) throws IssuanceRefusedException {
    return fixture.adapter().resolveCard(new CardQuery(fixture.municipalityCode(), card, Relation.ADDRESS, fixture.now()));
  }

  private MunicipalityOfferings offerings(String handle) throws IssuanceRefusedException {
    return fixture.adapter().offerings(new OfferingsQuery(fixture.municipalityCode(), handle, Relation.ADDRESS, fixture.now()));
  }

  private IssueCommand command(Holder h, String handle, CertificateRequest request) {
    String issuanceId = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 25).toUpperCase(java.util.Locale.ROOT);
    byte[] binding =
        DocumentBinding.compute(h.card().issuerKeyId(), h.card().serial(), UUID.randomUUID().toString(), issuanceId, fixture.municipalityCode());
    return new IssueCommand(fixture.municipalityCode(), handle, h.card(), Relation.ADDRESS, request, issuanceId, binding, fixture.now());
  }

  private CardIssueCommand command(Holder h, CertificateRequest request) {
    return command(h, "-", request).forCard();
  }

  private void assertBelongsTo(IssuedDocument document, IssueCommand command, Holder holder) throws Exception {
    VerifiedDocument v = SignedDocuments.verify(document.pdf(), fixture.signingAnchors());
    assertThat(v.municipalityCode()).isEqualTo(command.municipalityCode());
    assertThat(v.bindingHex()).isEqualTo(HexFormat.of().formatHex(command.binding()));
    assertThat(v.documentNumber()).isEqualTo(command.issuanceId());
    assertThat(v.certificateType()).isEqualTo(command.request().type());
    assertThat(document.pageCount()).isEqualTo(v.pageCount());
    assertThat(document.feePerCopyYen()).isNotNegative();
    String text = PdfText.normalized(document.pdf());
    assertThat(text).contains(normalize(holder.name()));
    for (Holder other : fixture.holders()) {
      if (!other.equals(holder) && !normalize(holder.name()).contains(normalize(other.name()))) {
        assertThat(text).as("another resident's name on the document").doesNotContain(normalize(other.name()));
      }
    }
  }

  private static String randomSerial() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }
}

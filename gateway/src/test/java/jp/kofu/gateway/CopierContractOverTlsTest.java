package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.HouseholdMember;
import jp.kofu.proto.type.v1.Offering;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a copier vendor relies on beyond one issuance, end to end over mTLS: household-member
 * handles that live one session, delivery confirmed by the receiving copier only, the issuance
 * state for crash recovery, refund semantics, opening times and the order id in the header.
 */
class CopierContractOverTlsTest {
  static final MutableClock clock = MutableClock.inServiceHours();
  static TestWorld world;

  @BeforeAll
  static void start() {
    world = TestWorld.start(EmbeddedWorld.options().clock(clock).residentsEach(260));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** A card whose holder lives with at least one other active resident. */
  static CardWallet.Entry cardInAHousehold() {
    Map<Long, Long> active =
        world.allResidents().stream().filter(r -> r.status() == ResidentStatus.ACTIVE).collect(Collectors.groupingBy(Resident::householdId, Collectors.counting()));
    return world.eligibleCards(200).stream()
        .filter(e -> active.getOrDefault(world.resident(e.residentId()).householdId(), 0L) >= 2)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no card holder with a household"));
  }

  static List<HouseholdMember> members(ListOfferingsResponse offerings) {
    Offering residence =
        offerings.getMunicipalities(0).getOfferingsList().stream().filter(o -> o.getType() == CertificateType.CERTIFICATE_TYPE_RESIDENCE).findFirst().orElseThrow();
    return residence.getHouseholdMembersList();
  }

  static CertificateRequest selected(String... handles) {
    return CertificateRequest.newBuilder()
        .setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE)
        .setScope(CertificateRequest.HouseholdScope.HOUSEHOLD_SCOPE_SELECTED_MEMBERS)
        .addAllMemberHandles(List.of(handles))
        .setCopies(1)
        .build();
  }

  @Test
  void aMemberHandleIsValidOnlyInTheSessionThatListedIt() throws Exception {
    CardWallet.Entry entry = cardInAHousehold();
    SimulatedCard card = world.wallet.card(entry.residentId());
    Copier copier = world.copier("handles");
    Resident holder = world.resident(entry.residentId());
    List<Resident> household =
        world.allResidents().stream().filter(r -> r.householdId() == holder.householdId()).toList();

    ByteString first = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    List<HouseholdMember> earlier = members(copier.offerings(first));
    ByteString second = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    List<HouseholdMember> later = members(copier.offerings(second));
    assertThat(earlier).hasSizeGreaterThanOrEqualTo(2).hasSameSizeAs(later);

    // The same session lists the same handles again; another session of the same card other ones,
    // and none is the municipality's own identifier of the person.
    assertThat(members(copier.offerings(first))).isEqualTo(earlier);
    List<String> earlierHandles = earlier.stream().map(HouseholdMember::getMemberHandle).toList();
    List<String> laterHandles = later.stream().map(HouseholdMember::getMemberHandle).toList();
    assertThat(laterHandles).doesNotContainAnyElementsOf(earlierHandles);
    assertThat(earlierHandles).doesNotContainAnyElementsOf(household.stream().map(Resident::handle).toList());
    assertThat(laterHandles).allMatch(h -> h.matches("[A-Za-z0-9_-]{22}"));

    // A handle from the earlier session is refused in the later one, with its documented reason.
    HouseholdMember other = earlier.stream().filter(m -> !m.getCardHolder()).findFirst().orElseThrow();
    StatusRuntimeException refused = refusal(() -> copier.issue(second, UUID.randomUUID().toString(), entry.municipalityCode(), selected(other.getMemberHandle())));
    assertThat(KofuException.reasonOf(refused)).isEqualTo(Reason.FIELD_INVALID);
    assertThat(refused.getStatus().getDescription()).contains("certificate.member_handles");

    // The later session's handle for the same person works, and prints that person.
    HouseholdMember same = later.stream().filter(m -> m.getDisplayName().equals(other.getDisplayName())).findFirst().orElseThrow();
    String order = UUID.randomUUID().toString();
    ReceivedDocument doc = copier.issue(second, order, entry.municipalityCode(), selected(same.getMemberHandle()));
    assertThat(normalize(text(doc.pdf()))).contains(normalize(other.getDisplayName())).doesNotContain(normalize(holder.fullName()));
    copier.accept(doc, card, order, entry.municipalityCode());
    // Retried in its session, the order is the same order.
    assertThat(copier.issue(second, order, entry.municipalityCode(), selected(same.getMemberHandle())).header().getReplayed()).isTrue();
    copier.confirm(second, doc.header().getIssuanceId(), true);
  }

  static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded");
  }

  static String text(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    }
  }

  static String normalize(String s) {
    return s.replaceAll("[\\s　]", "");
  }
}

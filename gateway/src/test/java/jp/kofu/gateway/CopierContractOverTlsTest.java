package jp.kofu.gateway;

import static jp.kofu.testing.PdfText.normalize;
import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.proto.kiosk.v1.GetIssuanceRequest;
import jp.kofu.proto.kiosk.v1.GetIssuanceResponse;
import jp.kofu.proto.kiosk.v1.IssuanceState;
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
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.PdfText;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a copier vendor relies on beyond one issuance, end to end over mTLS: household-member
 * handles that live one session, delivery confirmed by the receiving copier only, the issuance
 * state for crash recovery, refund semantics, opening times and the order id in the header.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@WholeWorld
class CopierContractOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock).residentsEach(260);

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
    SimulatedCard card = world.wallet().card(entry.residentId());
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
    assertThat(PdfText.normalized(doc.pdf())).contains(normalize(other.getDisplayName())).doesNotContain(normalize(holder.fullName()));
    copier.accept(doc, card, order, entry.municipalityCode());
    // Retried in its session, the order is the same order.
    assertThat(copier.issue(second, order, entry.municipalityCode(), selected(same.getMemberHandle())).header().getReplayed()).isTrue();
    copier.confirm(second, doc.header().getIssuanceId(), true);
  }

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  static GetIssuanceResponse get(Copier copier, String orderId) {
    return copier.stub().getIssuance(GetIssuanceRequest.newBuilder().setOrderId(orderId).build());
  }

  @Test
  void onlyTheCopierThatReceivedTheDocumentConfirmsIt() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(3).get(2);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier here = world.copier("printed-here");
    Copier elsewhere = world.copier("elsewhere");
    ByteString token = here.authenticate(here.openSession(), card, entry.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();
    ReceivedDocument doc = here.issue(token, order, entry.municipalityCode(), residence());
    // The header names the order it answers.
    assertThat(doc.header().getOrderId()).isEqualTo(order);

    // The same card signs in at another copier: it can neither void this document nor get it.
    ByteString other = elsewhere.authenticate(elsewhere.openSession(), card, entry.pin()).getSessionToken();
    StatusRuntimeException refused = refusal(() -> elsewhere.confirm(other, doc.header().getIssuanceId(), false));
    assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    assertThat(KofuException.reasonOf(refused)).isEqualTo(Reason.ISSUANCE_NOT_FOUND);
    assertThat(KofuException.reasonOf(refusal(() -> elsewhere.issue(other, order, entry.municipalityCode(), residence()))))
        .isEqualTo(Reason.ORDER_CONFLICT);
    assertThat(get(here, order).getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_ISSUED);

    // The copier that printed it confirms it.
    assertThat(here.confirm(token, doc.header().getIssuanceId(), true).getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
  }

  @Test
  void theCopierThatPlacedAnOrderReadsWhereItStandsAfterACrash() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(4).get(3);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("crashed");
    ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();
    // The copier walks away after the header, as when it loses power mid-stream.
    var header = copier.issueAndCancel(token, order, entry.municipalityCode(), residence());

    // Restarted, with no session (the resident left): it asks by its own order id.
    Copier restarted = world.copier("crashed");
    GetIssuanceResponse state = get(restarted, order);
    assertThat(state.getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_ISSUED);
    assertThat(state.getIssuanceId()).isEqualTo(header.getIssuanceId());
    assertThat(state.getOrderId()).isEqualTo(order);
    assertThat(state.getFeeYen()).isEqualTo(header.getFeeYen());
    assertThat(state.getSha256()).isEqualTo(header.getSha256());
    assertThat(state.getCertificateType()).isEqualTo(CertificateType.CERTIFICATE_TYPE_RESIDENCE);
    assertThat(state.hasIssueTime()).isTrue();
    assertThat(state.hasSettleTime()).isFalse();

    // Another copier, and an order id never used, get nothing.
    for (String[] ask : new String[][] {{"nosy", order}, {"crashed", UUID.randomUUID().toString()}}) {
      StatusRuntimeException e = refusal(() -> get(world.copier(ask[0]), ask[1]));
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.ISSUANCE_NOT_FOUND);
    }
    assertThat(KofuException.reasonOf(refusal(() -> get(restarted, "short")))).isEqualTo(Reason.FIELD_INVALID);

    // FAILED refunds the whole fee; a repeated FAILED answers the same total, never more.
    var first = restarted.confirm(token, header.getIssuanceId(), false);
    var again = restarted.confirm(token, header.getIssuanceId(), false);
    assertThat(first.getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_VOIDED);
    assertThat(first.getRefundedYen()).isEqualTo(header.getFeeYen()).isPositive();
    assertThat(again.getRefundedYen()).isEqualTo(first.getRefundedYen());
    GetIssuanceResponse voided = get(restarted, order);
    assertThat(voided.getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_VOIDED);
    assertThat(voided.getRefundedYen()).isEqualTo(header.getFeeYen());
    assertThat(voided.hasSettleTime()).isTrue();
    long refunds =
        world.gateway().journal().events(header.getIssuanceId()).stream().filter(ev -> ev.kind().name().equals("VOIDED")).count();
    assertThat(refunds).isEqualTo(1);
  }

  // Last: it moves the clock to the night, and a clock never goes back (the trust world's
  // certificates made at night would not be valid yet in the morning).
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void aClosedMunicipalityListsWhenItOpens() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(5).get(4);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("night");
    // 23:30 in Japan: closed until 6:30 the next morning (not in the new-year closure).
    java.time.Instant night = JapanTimeAt.lateEvening(clock.instant());
    clock.set(night);
    {
      ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
      Offering residence =
          copier.offerings(token).getMunicipalities(0).getOfferingsList().stream()
              .filter(o -> o.getType() == CertificateType.CERTIFICATE_TYPE_RESIDENCE).findFirst().orElseThrow();
      assertThat(residence.getAvailable()).isFalse();
      assertThat(residence.getUnavailableReason()).isEqualTo(Reason.OUT_OF_SERVICE_HOURS);
      assertThat(residence.hasNextOpenTime()).isTrue();
      java.time.Instant opens = java.time.Instant.ofEpochSecond(residence.getNextOpenTime().getSeconds(), residence.getNextOpenTime().getNanos());
      assertThat(opens.atZone(jp.kofu.issuer.JapanTime.ZONE).toLocalTime()).isEqualTo(java.time.LocalTime.of(6, 30));
      assertThat(opens).isAfter(night);
      // The same instant as the refused Issue's next_open.
      StatusRuntimeException refused = refusal(() -> copier.issue(token, UUID.randomUUID().toString(), entry.municipalityCode(), residence()));
      assertThat(KofuException.reasonOf(refused)).isEqualTo(Reason.OUT_OF_SERVICE_HOURS);
      assertThat(java.time.OffsetDateTime.parse(jp.kofu.proto.KofuErrors.metadataOf(refused).get("next_open")).toInstant()).isEqualTo(opens);
    }
  }

  /** A late evening in Japan after {@code from}, on a day whose next morning opens. */
  static final class JapanTimeAt {
    static java.time.Instant lateEvening(java.time.Instant from) {
      java.time.LocalDate day = jp.kofu.issuer.JapanTime.date(from);
      while (day.getMonthValue() == 12 && day.getDayOfMonth() >= 28 || day.getMonthValue() == 1 && day.getDayOfMonth() <= 3) {
        day = day.plusDays(1);
      }
      return day.atTime(23, 30).atZone(jp.kofu.issuer.JapanTime.ZONE).toInstant();
    }
  }
}

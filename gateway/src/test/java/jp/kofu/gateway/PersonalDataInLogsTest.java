package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.PdfText;
import jp.kofu.testing.Refusals;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;

/**
 * Residents with names, addresses and birth dates nobody else has get documents issued (and
 * refused); every log line the JVM writes meanwhile, at every level, is scanned for them. The
 * journal is scanned too: an operator reading it must not find them either.
 */
@WholeWorld
class PersonalDataInLogsTest {
  record Distinctive(String family, String given, String familyKana, String givenKana, LocalDate born, String address) {}

  static final List<Distinctive> PEOPLE =
      List.of(
          new Distinctive("鬼瓦", "轟之介", "オニガワラ", "トドロキノスケ", LocalDate.of(1961, 7, 29), "霞ヶ浦珍妙台三丁目33番33号"),
          new Distinctive("勘解由小路", "雅楽乃", "カデノコウジ", "ウタノ", LocalDate.of(1977, 2, 14), "不思議町字鳴門海峡九丁目9番9号"),
          new Distinctive("四月一日", "麗美", "ワタヌキ", "レミ", LocalDate.of(1988, 12, 8), "百目鬼通り七丁目7番地の7"));

  @Test
  void noNameAddressOrBirthDateOfAResidentReachesTheLogsOrTheJournal() throws Exception {
    List<String> secrets = new ArrayList<>();
    try (LogCapture logs = LogCapture.all();
        KofuWorld world =
        KofuWorld.embedded().residentsEach(30).start()) {
      List<CardWallet.Entry> cards = world.eligibleCards(PEOPLE.size());
      try (Connection c = world.registry().database().connection()) {
        for (int i = 0; i < PEOPLE.size(); i++) {
          Distinctive p = PEOPLE.get(i);
          Resident r = world.resident(cards.get(i).residentId());
          update(c, "UPDATE resident SET family_name = ?, given_name = ?, family_name_kana = ?, given_name_kana = ?, birth_date = ? WHERE id = ?",
              p.family(), p.given(), p.familyKana(), p.givenKana(), p.born(), r.id());
          update(c, "UPDATE household SET address = ? WHERE id = ?", p.address(), r.householdId());
          secrets.addAll(List.of(p.family() + p.given(), p.family() + " " + p.given(), p.family() + "　" + p.given(), p.family(), p.given(),
              p.familyKana() + " " + p.givenKana(), p.familyKana(), p.givenKana(), p.address()));
          secrets.addAll(dates(p.born()));
          for (Resident member : world.registry().householdMembers(r.householdId())) {
            secrets.add(member.fullName());
            secrets.addAll(dates(member.birthDate()));
            if (member.myNumber() != null) {
              secrets.add(member.myNumber());
            }
          }
          Household h = world.registry().household(r.householdId()).orElseThrow();
          assertThat(h.address()).isEqualTo(p.address());
        }
      }

      Copier copier = world.copier("privacy");
      int documents = 0;
      for (int i = 0; i < PEOPLE.size(); i++) {
        CardWallet.Entry e = cards.get(i);
        SimulatedCard card = world.wallet().card(e.residentId());
        var own = copier.issueOnce(card, e.pin(), e.municipalityCode(), request(CertificateType.CERTIFICATE_TYPE_RESIDENCE, HouseholdScope.HOUSEHOLD_SCOPE_SELF));
        assertThat(PdfText.normalized(own.document().pdf())).contains(PEOPLE.get(i).family() + PEOPLE.get(i).given());
        documents++;
        var household =
            copier.issueOnce(card, e.pin(), e.municipalityCode(),
                request(CertificateType.CERTIFICATE_TYPE_RESIDENCE, HouseholdScope.HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD).toBuilder()
                    .addOptions(CertificateOption.CERTIFICATE_OPTION_HEAD_OF_HOUSEHOLD).addOptions(CertificateOption.CERTIFICATE_OPTION_DOMICILE).build());
        assertThat(household.document().pdf()).isNotEmpty();
        documents++;
        // Refusals too: a seal certificate many residents cannot get, and a wrong PIN at the card.
        try {
          copier.issueOnce(card, e.pin(), e.municipalityCode(), request(CertificateType.CERTIFICATE_TYPE_SEAL_REGISTRATION, HouseholdScope.HOUSEHOLD_SCOPE_SELF));
          documents++;
        } catch (io.grpc.StatusRuntimeException refused) {
          // NO_SEAL_REGISTRATION and the like: what matters is what it logged
        }
      }
      assertThat(documents).isGreaterThanOrEqualTo(2 * PEOPLE.size());

      String journal = dump(world.gateway().journal().database());
      String logged = logs.text();
      assertThat(logs.lines()).as("the capture sees the gateway's own logging").anyMatch(l -> l.contains("gateway listening"));
      // ...and the access log: one line per call, with its ids, in both the text and the JSON form.
      assertThat(logs.lines())
          .as("access-log lines of issuances, with request and terminal ids")
          .anyMatch(l -> l.startsWith("INFO kofu.access") && l.contains("KioskService/Issue") && l.contains("terminal_id=")
              && l.contains("\"request_id\":") && l.contains("\"grpc_status\":\"OK\""));
      for (String secret : secrets) {
        assertThat(logged).as("logs must not contain a resident's personal data").doesNotContain(secret);
        assertThat(journal).as("the journal must not contain a resident's personal data").doesNotContain(secret);
      }
    }
  }

  static CertificateRequest request(CertificateType type, HouseholdScope scope) {
    return CertificateRequest.newBuilder().setType(type).setScope(scope).setCopies(1).build();
  }

  static List<String> dates(LocalDate d) {
    return List.of(
        d.toString(),
        d.format(DateTimeFormatter.ofPattern("yyyy/MM/dd")),
        d.format(DateTimeFormatter.BASIC_ISO_DATE),
        d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日",
        java.time.chrono.JapaneseDate.from(d).format(DateTimeFormatter.ofPattern("GGGGy年M月d日", java.util.Locale.JAPAN)));
  }

  static void update(Connection c, String sql, Object... args) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** Every value of every table of the journal, as text. */
  static String dump(jp.kofu.storage.Database db) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.connection()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          if ("public".equalsIgnoreCase(schema)) {
            tables.add(rs.getString("TABLE_NAME"));
          }
        }
      }
      assertThat(tables).contains("issuance", "challenge_use");
      for (String t : tables) {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) {
              Object v = rs.getObject(i);
              out.append(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(v)).append('\t');
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}

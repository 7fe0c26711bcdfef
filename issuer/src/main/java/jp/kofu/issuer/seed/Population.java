package jp.kofu.issuer.seed;

import java.util.List;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.CertificateRecords;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;

/**
 * What the generator made for one municipality.
 *
 * @param records seal registrations, family registers, tax records and use registrations
 * @param specimens residents made to show one outcome each (empty unless asked for)
 */
public record Population(
    List<Household> households,
    List<Resident> residents,
    List<CardRecord> cardRecords,
    List<SeededCard> cards,
    CertificateRecords records,
    List<Specimen> specimens) {
  public Population(List<Household> households, List<Resident> residents, List<CardRecord> cardRecords, List<SeededCard> cards) {
    this(households, residents, cardRecords, cards, CertificateRecords.empty(), List.of());
  }
}

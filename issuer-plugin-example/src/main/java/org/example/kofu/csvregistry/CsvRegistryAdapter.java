package org.example.kofu.csvregistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
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
import jp.kofu.issuer.spi.document.CertificateDocuments;
import jp.kofu.issuer.spi.document.DocumentSigner;
import jp.kofu.issuer.spi.document.IssuingMunicipality;
import jp.kofu.issuer.spi.document.ResidenceEntry;

/**
 * One municipality whose registry is a CSV export. Thread-safe: its fields are immutable (the
 * signing key and kofu's document facade, which is thread-safe), and each call reads the export
 * afresh, so nothing of one call can reach another.
 */
final class CsvRegistryAdapter implements IssuerAdapter {
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final int MINIMUM_AGE = 15;

  private final IssuingMunicipality municipality;
  private final int feeYen;
  private final int maxCopies;
  private final Path residents;
  private final CertificateDocuments documents;
  private final DocumentSigner signer;

  CsvRegistryAdapter(
      IssuingMunicipality municipality, int feeYen, int maxCopies, Path residents, CertificateDocuments documents, DocumentSigner signer) {
    this.municipality = municipality;
    this.feeYen = feeYen;
    this.maxCopies = maxCopies;
    this.residents = residents;
    this.documents = documents;
    this.signer = signer;
  }

  @Override
  public Set<String> municipalityCodes() {
    return Set.of(municipality.code());
  }

  @Override
  public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
    served(query.municipalityCode());
    return new ResidentRef(byCard(query.card(), query.relation()).handle(), null);
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    served(query.municipalityCode());
    ResidentRow r = byHandle(query.residentHandle());
    RefusalReason refusal = refusal(r, query.at().atZone(JAPAN).toLocalDate());
    List<Offering.HouseholdMember> members = refusal == null ? List.of(new Offering.HouseholdMember(r.handle(), r.fullName(), true)) : List.of();
    return new MunicipalityOfferings(
        municipality.fullName(),
        List.of(
            new Offering(
                CertificateType.RESIDENCE, Set.of(), feeYen, maxCopies, refusal == null ? null : refusal.shownToCopier(), members)));
  }

  /** SPI 1.1, the gateway's one call: the card's holder, read once from the export as it is now. */
  @Override
  public IssuedDocument issue(CardIssueCommand command) throws IssuanceRefusedException {
    served(command.municipalityCode());
    check(command.request());
    return issue(command, byCard(command.card(), command.relation()));
  }

  /** SPI 1.0 (hosts that resolve first): the resident named, and the card must still be theirs. */
  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    served(command.municipalityCode());
    check(command.request());
    ResidentRow r = byHandle(command.residentHandle());
    if (!r.cardIssuerKeyId().equals(command.card().issuerKeyId()) || !r.cardSerial().equals(command.card().serial())) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card does not belong to the resident");
    }
    return issue(command.forCard(), r);
  }

  private IssuedDocument issue(CardIssueCommand command, ResidentRow r) throws IssuanceRefusedException {
    RefusalReason refusal = refusal(r, command.at().atZone(JAPAN).toLocalDate());
    if (refusal != null) {
      throw new IssuanceRefusedException(refusal, refusal.name());
    }
    if (Thread.currentThread().isInterrupted()) {
      // The gateway gave up on this call: stop before the expensive part, leave nothing behind.
      throw new IllegalStateException("interrupted");
    }
    // kofu lays the certificate out and signs it, with the command's binding, issuance id and
    // verification code in the signed document: the gateway checks all three.
    ResidenceEntry entry =
        new ResidenceEntry(r.address(), r.fullName(), r.fullNameKana(), r.birthDate(), r.sex(), r.becameResidentOn(), r.addressSince());
    return documents.residence(command, municipality, entry, feeYen, signer);
  }

  private void check(CertificateRequest request) throws IssuanceRefusedException {
    if (request.type() != CertificateType.RESIDENCE) {
      throw new IssuanceRefusedException(RefusalReason.CERTIFICATE_TYPE_NOT_OFFERED, request.type().name());
    }
    if (!request.options().isEmpty()) {
      throw new IssuanceRefusedException(RefusalReason.OPTION_NOT_OFFERED, "no options offered");
    }
    if (request.copies() < 1 || request.copies() > maxCopies) {
      throw new IssuanceRefusedException(
          RefusalReason.COPIES_OUT_OF_RANGE, "copies: " + request.copies() + " (expected: 1.." + maxCopies + ")");
    }
    if (request.scope() != HouseholdScope.SELF) {
      throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "only the card holder's certificate is issued here");
    }
  }

  private void served(String code) throws IssuanceRefusedException {
    if (!municipality.code().equals(code)) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "municipality " + code + " is not served here");
    }
  }

  private ResidentRow byCard(CardRef card, Relation relation) throws IssuanceRefusedException {
    if (relation == Relation.FAMILY_REGISTER) {
      throw new IssuanceRefusedException(RefusalReason.DOMICILE_NOT_REGISTERED, "no family registers here");
    }
    return find(row -> row.cardIssuerKeyId().equals(card.issuerKeyId()) && row.cardSerial().equals(card.serial()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card unknown here"));
  }

  private ResidentRow byHandle(String handle) throws IssuanceRefusedException {
    return find(row -> row.handle().equals(handle))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "resident handle unknown"));
  }

  private static RefusalReason refusal(ResidentRow r, LocalDate today) {
    return switch (r.status()) {
      case "DECEASED" -> RefusalReason.DECEASED;
      case "MOVED_OUT" -> RefusalReason.MOVED_OUT;
      default -> Period.between(r.birthDate(), today).getYears() < MINIMUM_AGE ? RefusalReason.UNDER_AGE : null;
    };
  }

  /** Reads the export afresh: no cache can serve a record that changed a second ago. */
  private Optional<ResidentRow> find(Predicate<ResidentRow> wanted) {
    try (BufferedReader in = Files.newBufferedReader(residents, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        ResidentRow row = ResidentRow.parse(line, n);
        if (wanted.test(row)) {
          return Optional.of(row);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("residents.csv unreadable", e);
    }
  }
}

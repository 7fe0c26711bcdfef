package jp.kofu.issuer.embedded;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.document.FamilyRegisterAnnexCertificate;
import jp.kofu.issuer.document.FamilyRegisterCertificate;
import jp.kofu.issuer.document.IncomeTaxCertificate;
import jp.kofu.issuer.document.ResidenceCertificate;
import jp.kofu.issuer.document.SealRegistrationCertificate;
import jp.kofu.issuer.registry.AnnexEntry;
import jp.kofu.issuer.registry.FamilyRegister;
import jp.kofu.issuer.registry.FamilyRegisterEvent;
import jp.kofu.issuer.registry.FamilyRegisterMember;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.SealRegistration;
import jp.kofu.issuer.registry.TaxRecord;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.RefusalReason;

/**
 * Turns registry records, read live for one issuance, into the content of a certificate: only
 * what the certificate prints, only of the persons it names.
 */
final class CertificateContents {
  private CertificateContents() {}

  /** 住民票の写し or 住民票記載事項証明書 of the chosen members (never removed persons). */
  static ResidenceCertificate residence(
      MunicipalityProfile profile, Resident holder, Household home, List<Resident> household, CertificateRequest request,
      boolean items) throws IssuanceRefusedException {
    List<Resident> chosen = chosenMembers(holder, household, request);
    RefusalReason protectedPerson =
        IssuanceRules.printsProtectedPerson(chosen.stream().map(Resident::supportMeasure).toList());
    if (protectedPerson != null) {
      throw new IssuanceRefusedException(protectedPerson, "a chosen member is under a support measure");
    }
    Resident head = household.stream().filter(Resident::isHeadOfHousehold).findFirst().orElse(holder);
    List<ResidenceCertificate.Person> persons = new ArrayList<>();
    for (Resident r : chosen) {
      persons.add(
          new ResidenceCertificate.Person(
              r.fullName(), r.fullNameKana(), r.birthDate(), sex(r.sex()), r.relationship(), r.becameResidentOn(),
              r.addressSince(), r.previousAddress(), r.domicile(), r.domicileHead(), r.myNumber(), r.nationality(),
              r.residenceStatus(), r.residenceCardNumber()));
    }
    Set<CertificateOption> options = Set.copyOf(request.options());
    return new ResidenceCertificate(
        profile.identity(), profile.identity().fullName() + home.address(), head.fullName(), persons, options, items);
  }

  static List<Resident> chosenMembers(Resident holder, List<Resident> household, CertificateRequest request)
      throws IssuanceRefusedException {
    List<Resident> chosen = new ArrayList<>();
    switch (request.scope()) {
      case SELF -> chosen.add(holder);
      case WHOLE_HOUSEHOLD -> household.stream().filter(r -> !r.status().removed()).forEach(chosen::add);
      case SELECTED_MEMBERS -> {
        Set<String> wanted = new LinkedHashSet<>(request.memberHandles());
        if (wanted.isEmpty()) {
          throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "no member chosen");
        }
        for (Resident r : household) {
          if (wanted.remove(r.handle()) && !r.status().removed()) {
            chosen.add(r);
          }
        }
        if (!wanted.isEmpty() || chosen.isEmpty()) {
          throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "a chosen member is not in the household");
        }
      }
    }
    return chosen;
  }

  /** 印鑑登録証明書 of an active registration. */
  static SealRegistrationCertificate seal(MunicipalityProfile profile, Resident holder, Household home, SealRegistration seal) {
    return new SealRegistrationCertificate(
        profile.identity(),
        seal.registrationNumber(),
        holder.fullName(),
        holder.fullNameKana(),
        holder.birthDate(),
        sex(holder.sex()),
        profile.identity().fullName() + home.address(),
        seal.impressionPng(),
        seal.impressionSizeMm());
  }

  /**
   * 戸籍全部事項証明書 (every person, removed ones with their mark) or 戸籍個人事項証明書 (the card
   * holder only).
   */
  static FamilyRegisterCertificate familyRegister(
      MunicipalityProfile profile, FamilyRegister register, List<FamilyRegisterMember> members,
      List<FamilyRegisterEvent> events, FamilyRegisterMember holder, boolean individual) {
    Map<Long, List<FamilyRegisterCertificate.Event>> byMember =
        events.stream()
            .filter(e -> e.memberId() != null)
            .collect(Collectors.groupingBy(FamilyRegisterEvent::memberId, Collectors.mapping(CertificateContents::event, Collectors.toList())));
    List<FamilyRegisterCertificate.Event> registerEvents =
        events.stream().filter(e -> e.memberId() == null).map(CertificateContents::event).toList();
    List<FamilyRegisterCertificate.Member> printed = new ArrayList<>();
    for (FamilyRegisterMember m : members) {
      if (individual && m.id() != holder.id()) {
        continue;
      }
      printed.add(
          new FamilyRegisterCertificate.Member(
              m.givenName(), m.birthDate(), m.spouseRole(), m.father(), m.mother(), m.relationship(),
              byMember.getOrDefault(m.id(), List.of()), m.removed()));
    }
    return new FamilyRegisterCertificate(
        profile.identity(), register.domicile(), register.headName(), registerEvents, printed, individual);
  }

  /**
   * 戸籍の附票の写し of the register's present members. Refused when one of them is under a
   * support measure: the 附票 is where a protected person's new address would show.
   */
  static FamilyRegisterAnnexCertificate annex(
      MunicipalityProfile profile, FamilyRegister register, List<FamilyRegisterMember> members, List<AnnexEntry> entries)
      throws IssuanceRefusedException {
    List<FamilyRegisterMember> present = members.stream().filter(m -> !m.removed()).toList();
    RefusalReason protectedPerson =
        IssuanceRules.printsProtectedPerson(present.stream().map(FamilyRegisterMember::supportMeasure).toList());
    if (protectedPerson != null) {
      throw new IssuanceRefusedException(protectedPerson, "a member of the register is under a support measure");
    }
    Map<Long, List<AnnexEntry>> byMember = entries.stream().collect(Collectors.groupingBy(AnnexEntry::memberId));
    List<FamilyRegisterAnnexCertificate.Person> persons = new ArrayList<>();
    for (FamilyRegisterMember m : present) {
      List<AnnexEntry> lines = byMember.getOrDefault(m.id(), List.of());
      if (lines.isEmpty()) {
        continue;
      }
      persons.add(
          new FamilyRegisterAnnexCertificate.Person(
              register.familyName() + "　" + m.givenName(), m.birthDate(), sex(m.sex()),
              lines.stream().map(a -> new FamilyRegisterAnnexCertificate.AddressEntry(a.address(), a.since())).toList()));
    }
    if (persons.isEmpty()) {
      throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "no address recorded in the annex");
    }
    return new FamilyRegisterAnnexCertificate(profile.identity(), register.domicile(), register.headName(), persons);
  }

  /** 所得・課税証明書 of a filed year. */
  static IncomeTaxCertificate incomeTax(MunicipalityProfile profile, Resident holder, TaxRecord tax) {
    long totalIncome = tax.totalIncome();
    long totalDeductions = tax.totalDeductions();
    return new IncomeTaxCertificate(
        profile.identity(),
        tax.fiscalYear(),
        tax.address(),
        holder.fullName(),
        holder.fullNameKana(),
        holder.birthDate(),
        tax.salaryRevenue(),
        tax.salaryIncome(),
        amounts(tax.otherIncomes()),
        totalIncome,
        amounts(tax.deductions()),
        totalDeductions,
        IncomeTaxCertificate.taxableIncome(totalIncome, totalDeductions),
        tax.spouseDeduction(),
        tax.dependents(),
        tax.municipalIncomeLevy(),
        tax.municipalPerCapita(),
        tax.prefecturalIncomeLevy(),
        tax.prefecturalPerCapita(),
        tax.forestEnvironmentTax(),
        tax.annualTax());
  }

  // ---- registry values → document values: the registry knows nothing of rendering

  private static jp.kofu.issuer.document.Sex sex(jp.kofu.issuer.registry.Sex sex) {
    return switch (sex) {
      case MALE -> jp.kofu.issuer.document.Sex.MALE;
      case FEMALE -> jp.kofu.issuer.document.Sex.FEMALE;
    };
  }

  private static FamilyRegisterCertificate.Event event(FamilyRegisterEvent e) {
    return new FamilyRegisterCertificate.Event(
        e.kind(),
        e.items().stream()
            .map(i -> i.date() != null ? FamilyRegisterCertificate.Item.date(i.label(), i.date()) : FamilyRegisterCertificate.Item.text(i.label(), i.text()))
            .toList());
  }

  private static List<IncomeTaxCertificate.Amount> amounts(List<TaxRecord.Amount> amounts) {
    return amounts.stream().map(a -> new IncomeTaxCertificate.Amount(a.label(), a.yen())).toList();
  }
}

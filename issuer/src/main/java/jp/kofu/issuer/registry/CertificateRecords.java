package jp.kofu.issuer.registry;

import java.util.List;

/**
 * Everything besides households, residents and cards that certificates are made from, as the
 * seed tool writes it in one batch.
 */
public record CertificateRecords(
    List<SealRegistration> sealRegistrations,
    List<FamilyRegister> familyRegisters,
    List<FamilyRegisterMember> familyRegisterMembers,
    List<FamilyRegisterEvent> familyRegisterEvents,
    List<AnnexEntry> annexEntries,
    List<TaxRecord> taxRecords,
    List<UseRegistration> useRegistrations) {
  public CertificateRecords {
    sealRegistrations = List.copyOf(sealRegistrations);
    familyRegisters = List.copyOf(familyRegisters);
    familyRegisterMembers = List.copyOf(familyRegisterMembers);
    familyRegisterEvents = List.copyOf(familyRegisterEvents);
    annexEntries = List.copyOf(annexEntries);
    taxRecords = List.copyOf(taxRecords);
    useRegistrations = List.copyOf(useRegistrations);
  }

  public static CertificateRecords empty() {
    return new CertificateRecords(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public String toString() {
    return "CertificateRecords[seals=" + sealRegistrations.size() + ", registers=" + familyRegisters.size()
        + ", members=" + familyRegisterMembers.size() + ", taxRecords=" + taxRecords.size()
        + ", useRegistrations=" + useRegistrations.size() + "]";
  }
}

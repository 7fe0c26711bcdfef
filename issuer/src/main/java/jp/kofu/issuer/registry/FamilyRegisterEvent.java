package jp.kofu.issuer.registry;

import java.util.List;
import jp.kofu.issuer.document.FamilyRegisterCertificate;

/**
 * One entry of a family register: a 戸籍事項 ({@code memberId} null) or a member's 身分事項, with
 * its bracketed items.
 */
public record FamilyRegisterEvent(
    long id, long registerId, Long memberId, int seq, String kind, List<FamilyRegisterCertificate.Item> items) {
  public FamilyRegisterEvent {
    items = List.copyOf(items);
  }

  public FamilyRegisterCertificate.Event toCertificateEvent() {
    return new FamilyRegisterCertificate.Event(kind, items);
  }

  @Override
  public String toString() {
    return "FamilyRegisterEvent[id=" + id + ", kind=" + kind + "]";
  }
}

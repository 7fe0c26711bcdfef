package jp.kofu.gateway.journal;

import java.util.LinkedHashMap;
import java.util.Map;

/** What each event says: the payloads, built in one place so the audit can read them back. */
final class JournalEvents {
  private JournalEvents() {}

  static Map<String, Object> ordered(NewOrder o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order_id", o.orderId());
    m.put("order_digest", o.orderDigest());
    m.put("card_key", o.cardKey());
    m.put("session_id", o.sessionId());
    m.put("store_chain", o.storeChain());
    m.put("store", o.store());
    m.put("terminal", o.terminal());
    m.put("municipality_code", o.municipalityCode());
    m.put("relation", o.relation());
    m.put("certificate_type", o.certificateType());
    m.put("copies", o.copies());
    m.put("binding", o.binding());
    return m;
  }

  static Map<String, Object> issued(IssuedFacts f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fee_per_copy_yen", f.feePerCopyYen());
    m.put("fee_yen", f.feeYen());
    m.put("document_sha256", f.documentSha256());
    m.put("page_count", f.pageCount());
    m.put("byte_size", f.byteSize());
    m.put("verification_code", f.verificationCode());
    return m;
  }

  static Map<String, Object> voided(int refundedYen, VoidReason reason, String printFailure) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("refunded_yen", refundedYen);
    m.put("void_reason", reason.name());
    m.put("print_failure", printFailure);
    return m;
  }
}

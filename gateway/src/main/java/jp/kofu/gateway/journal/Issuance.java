package jp.kofu.gateway.journal;

import java.time.Instant;

/**
 * One journal record: when (ordered, issued, settled), where (store chain, store, terminal), what
 * (municipality, certificate type, copies, fee, refund), for whom (the card as a keyed hash only),
 * which order and issuance, and which document (its SHA-256). No personal data.
 */
public record Issuance(
    String issuanceId,
    String orderId,
    String orderDigest,
    String cardKey,
    String sessionId,
    String storeChain,
    String store,
    String terminal,
    String municipalityCode,
    String relation,
    String certificateType,
    int copies,
    IssuanceState state,
    String attemptId,
    Instant attemptStartedAt,
    String refusalReason,
    Integer feePerCopyYen,
    Integer feeYen,
    Integer refundedYen,
    String documentSha256,
    String binding,
    Integer pageCount,
    Integer byteSize,
    String verificationCode,
    String printFailure,
    Instant orderedAt,
    Instant issuedAt,
    Instant settledAt,
    VoidReason voidReason) {}

package jp.kofu.gateway.journal;

/** An order as the gateway first journals it. */
public record NewOrder(
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
    String binding) {}

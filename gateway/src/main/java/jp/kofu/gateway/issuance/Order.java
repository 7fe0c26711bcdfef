package jp.kofu.gateway.issuance;

import jp.kofu.issuer.spi.CertificateRequest;

/** A validated Issue request. */
public record Order(String orderId, String municipalityCode, CertificateRequest request) {}

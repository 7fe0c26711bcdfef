package jp.kofu.gateway.journal;

/** What the journal records of a document once it is verified. */
public record IssuedFacts(
    int feePerCopyYen, int feeYen, String documentSha256, int pageCount, int byteSize, String verificationCode) {}

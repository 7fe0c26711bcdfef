package jp.kofu.gateway.journal;

/** What the journal records of a document once it is verified: its fee and which document it is. */
public record IssuedFacts(
    int feePerCopyYen, int feeYen, Digest documentSha256, int pageCount, int byteSize, String verificationCode) {}

package jp.kofu.sim.copier;

import jp.kofu.proto.kiosk.v1.IssueHeader;

/** A document as a copier received it: the header and the reassembled PDF. */
public record ReceivedDocument(IssueHeader header, byte[] pdf, int chunks) {}

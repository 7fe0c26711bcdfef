package jp.kofu.sim.copier;

import jp.kofu.proto.kiosk.v1.IssueHeader;

/**
 * A document as a copier received it: the header, the reassembled PDF, and when (System.nanoTime)
 * the call was made, its header arrived and its trailer arrived.
 */
public record ReceivedDocument(IssueHeader header, byte[] pdf, int chunks, long calledNanos, long headerNanos, long trailerNanos) {}

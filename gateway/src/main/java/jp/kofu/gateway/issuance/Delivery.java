package jp.kofu.gateway.issuance;

import jp.kofu.gateway.journal.Issuance;

/** An issued document ready to stream: its journal record and bytes, and whether it is a replay. */
public record Delivery(Issuance issuance, byte[] pdf, boolean replayed) {}

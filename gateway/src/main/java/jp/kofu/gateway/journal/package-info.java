/**
 * The issuance journal, kofu's system of record: orders, issuances, deliveries, voids and refunds
 * (spent challenges, closed sessions and lockouts are {@link jp.kofu.gateway.auth.AuthStore}'s,
 * in the same database). {@link jp.kofu.gateway.journal.IssuanceRow} alone knows how a record is
 * stored. Every change of an issuance's state appends an event
 * to an HMAC chain in the same transaction ({@link jp.kofu.gateway.journal.JournalAudit} verifies
 * it), and is durable before the copier hears of it. {@link jp.kofu.gateway.journal.Reconciler}
 * voids and refunds what is never confirmed. The embedded database by default, PostgreSQL for
 * clusters; see docs/JOURNAL.md.
 */
package jp.kofu.gateway.journal;

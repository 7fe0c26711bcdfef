/**
 * The issuance journal, kofu's system of record: orders, issuances, deliveries and refunds,
 * single-use challenges and closed sessions. Every transition is durable before the copier hears
 * of it. The embedded database by default, PostgreSQL for clusters.
 */
package jp.kofu.gateway.journal;

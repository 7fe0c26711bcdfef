/**
 * Daily settlement (日次精算): what each municipality is owed and each store chain earned for one
 * day's issuances, read from the journal, with the chain head it was read at so that the report
 * can later be proved to stem from an untouched journal.
 */
package jp.kofu.gateway.settlement;

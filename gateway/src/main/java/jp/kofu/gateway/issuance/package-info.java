/**
 * The heart of the gateway: one issuance from order to delivery. An order is journaled before the
 * municipality is asked, the document is verified (signature, municipality, binding to this card
 * and order) before it is journaled as issued, and only then streamed. Retries of an order get the
 * same document; a failed print voids and refunds it.
 */
package jp.kofu.gateway.issuance;

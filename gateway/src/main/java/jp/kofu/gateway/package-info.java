/**
 * The central service (証明書交付センター): authenticates card-based requests from store copiers,
 * routes them to municipalities' issuer adapters, streams the signed documents back, and keeps
 * the journal. {@link jp.kofu.gateway.Gateway} assembles and runs it.
 */
package jp.kofu.gateway;

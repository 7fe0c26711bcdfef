/**
 * Where a request goes: the card directory says which municipality a card's holder lives in,
 * the local-government code table says which codes exist, and the router says which issuer
 * adapter serves each code.
 */
package jp.kofu.gateway.routing;

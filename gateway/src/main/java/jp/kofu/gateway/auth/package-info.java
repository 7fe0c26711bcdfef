/**
 * Who is asking: the store copier (from its mTLS client certificate), and the card (from its
 * signature over a one-time challenge, and its certificate's chain to the card CA). Sessions are
 * stateless tokens that any gateway of the cluster can check.
 */
package jp.kofu.gateway.auth;

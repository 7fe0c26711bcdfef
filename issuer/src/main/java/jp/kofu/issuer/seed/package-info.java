/**
 * Synthetic municipalities: realistic households of residents with Japanese names and their
 * readings, addresses built from real town names, family registers and cards. Test and
 * demonstration data only: every person is invented.
 */
package jp.kofu.issuer.seed;

/**
 * Simulated store copiers and cards: drive one issuance by hand, or thousands of copiers at once
 * as a load test. Every document a simulated copier receives is checked, as a real copier should:
 * its signature, its municipality, and its binding to this card and this order.
 */
package jp.kofu.sim;

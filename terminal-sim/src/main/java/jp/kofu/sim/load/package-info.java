/**
 * The load simulator: thousands of simulated copiers on an open-model arrival schedule. Each
 * request starts when it is due whether or not earlier ones have finished, and its latency counts
 * from that intended start, so a stalling system cannot hide behind its own slowness (coordinated
 * omission). Every document received is checked by the misissuance detector; one violation fails
 * the run.
 */
package jp.kofu.sim.load;

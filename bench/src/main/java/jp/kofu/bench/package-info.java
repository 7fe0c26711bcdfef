/**
 * JMH benchmarks of kofu. {@link jp.kofu.bench.RenderBenchmark} measures what a certificate costs
 * to render, per type, and what its signature costs, in the same run, so the one can be quoted as a
 * ratio of the other on any machine.
 */
package jp.kofu.bench;

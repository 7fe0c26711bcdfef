/**
 * JMH benchmarks of kofu, each beside its baseline measured in the same run: the raw RSA-2048
 * signing rate (the floor of a signed document's cost) and bare grpc-java streaming (the floor
 * of the gateway's overhead). See bench/README.md.
 */
package jp.kofu.bench;

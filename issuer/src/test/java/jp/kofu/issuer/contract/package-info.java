/**
 * The adapter contract as a test, shipped in kofu-issuer's test-jar for every adapter to extend:
 * {@link jp.kofu.issuer.contract.IssuerAdapterContractTest}, and {@link
 * jp.kofu.issuer.contract.SeededMunicipality}, synthetic municipalities in a registry of either kind
 * for kofu's own adapters. docs/PLUGINS.md shows a vendor how to use it.
 */
package jp.kofu.issuer.contract;

/**
 * Japan's reference data bundled with kofu: local-government codes (全国地方公共団体コード),
 * names with readings, and town names by postal code. See the data directory's README for
 * sources and licences.
 */
package jp.kofu.issuer.reference;

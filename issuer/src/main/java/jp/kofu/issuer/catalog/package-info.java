/**
 * The municipal catalog: for each municipality, one readable YAML file saying who certifies
 * (the mayor), which certificate types and options it offers at stores, the fee per copy and
 * the copy limit. Validated on load, with messages that name the file and the field.
 */
package jp.kofu.issuer.catalog;

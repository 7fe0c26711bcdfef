/**
 * The embedded resident registry (住民基本台帳 as an issuance server sees it): households,
 * residents, and the cards that map to them, in the embedded database or PostgreSQL. Every read
 * goes to the database: nothing here caches a resident's record (DOMAIN.md §7).
 */
package jp.kofu.issuer.registry;

/**
 * The one way kofu opens a relational database: the embedded H2 by default (no install), or
 * PostgreSQL by configuration, each migrated by Flyway before use. Used by the issuer's resident
 * registry and the gateway's journal alike.
 */
package jp.kofu.storage;

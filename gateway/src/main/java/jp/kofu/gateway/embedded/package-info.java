/**
 * A whole kofu world in one process, on embedded defaults: the development trust world, a seeded
 * demo municipality behind the embedded issuer adapter, and a gateway. What {@code ./kofu demo}
 * runs, and what end-to-end tests start in one line.
 */
package jp.kofu.gateway.embedded;

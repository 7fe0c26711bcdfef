/** Helpers that belong with the contract: reading a kofu error back from a gRPC status. */
package jp.kofu.proto;

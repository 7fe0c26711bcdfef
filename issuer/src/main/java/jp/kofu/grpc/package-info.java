/** What kofu's gRPC servers (the gateway, municipalities' issuer servers) share. */
package jp.kofu.grpc;

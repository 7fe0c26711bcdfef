/**
 * The gRPC edge as an operator sees it: the limits the listener enforces ({@link
 * jp.kofu.gateway.edge.EdgeLimits}), the bound on issuances in flight ({@link
 * jp.kofu.gateway.edge.InFlightLimit}), and one access-log line, request id and terminal id per
 * call ({@link jp.kofu.gateway.edge.CallLog}).
 */
package jp.kofu.gateway.edge;

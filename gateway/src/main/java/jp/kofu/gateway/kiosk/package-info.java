/**
 * The kofu.kiosk.v1 gRPC edge: validates every field, maps the contract to the domain and back,
 * streams documents under flow control, and turns every refusal into its status and reason.
 */
package jp.kofu.gateway.kiosk;

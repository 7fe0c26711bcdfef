/**
 * What an operator's machinery asks a running gateway: readiness ({@link
 * jp.kofu.gateway.admin.Readiness}: may it take traffic now?) and the admin HTTP port ({@link
 * jp.kofu.gateway.admin.AdminEndpoint}: {@code /livez}, {@code /readyz}, {@code /metrics}).
 */
package jp.kofu.gateway.admin;

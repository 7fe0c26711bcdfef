/**
 * Verification anyone can do (DOMAIN.md §5, §8): by the code printed on a certificate, over gRPC
 * ({@code kofu.verify.v1.VerificationService}) and over plain HTTP (a page for people, JSON for
 * programs); and by file ({@link jp.kofu.gateway.verify.DocumentVerifier}), signature and
 * issuance record together. Answers carry no personal data.
 */
package jp.kofu.gateway.verify;

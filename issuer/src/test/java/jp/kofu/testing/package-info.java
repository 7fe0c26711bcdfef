/**
 * Test support every module's tests share (the issuer's test-jar): catching a refusal and reading
 * its reason ({@link jp.kofu.testing.Refusals}), a PDF's text ({@link jp.kofu.testing.PdfText}),
 * the extension that fails a test leaking a server, a thread or a temporary directory
 * ({@link jp.kofu.testing.LeakCheck}), and in-process gRPC servers and channels closed after each
 * test ({@link jp.kofu.testing.GrpcCleanup}). Written once here; a test that needs one of these
 * uses it rather than writing its own.
 */
package jp.kofu.testing;

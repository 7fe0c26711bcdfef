/**
 * Where kofu's time comes from ({@link jp.kofu.time.TimeSource}): the wall clock, the ticker
 * deadlines count on, and the scheduler that fires them. Production reads the machine's
 * ({@link jp.kofu.time.TimeSource#system()}); tests pass one fake that is all three and move it by
 * hand, so that deadlines, expiry and service hours are tested without sleeping.
 */
package jp.kofu.time;

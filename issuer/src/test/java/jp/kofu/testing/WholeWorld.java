package jp.kofu.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A whole-world test: a gateway (or issuer server) on real sockets with its trust world and seeded
 * municipalities, end to end. Tagged {@code world}: the build runs these in the
 * {@code integration-test} phase, apart from the unit tests (see the parent pom and
 * docs/TESTING.md); the gateway's whole-world extension refuses to start in a test without it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(WholeWorld.TAG)
public @interface WholeWorld {
  String TAG = "world";
}

package jp.kofu.gateway;

import jp.kofu.gateway.embedded.EmbeddedWorld;

/**
 * A {@link KofuWorld} started and stopped by hand on the caller's options (the kill -9 durability
 * test makes its world once and reuses its directory across gateway processes). Every other test
 * declares a {@link KofuWorld} extension.
 */
public final class TestWorld extends KofuWorld {
  private TestWorld(EmbeddedWorld.Options options) {
    super(options);
  }

  public static TestWorld start(EmbeddedWorld.Options options) {
    TestWorld w = new TestWorld(options);
    w.start();
    return w;
  }
}

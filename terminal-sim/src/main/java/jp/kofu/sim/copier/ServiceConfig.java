package jp.kofu.sim.copier;

import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The contract's published gRPC service config (proto/service-config.json, packed into kofu-proto
 * as {@code kofu/service-config.json}): per-method deadlines and the retry policy for the
 * retryable codes. The simulator's copier uses it as a copier vendor would.
 */
public final class ServiceConfig {
  public static final String RESOURCE = "/kofu/service-config.json";

  private ServiceConfig() {}

  /** The service config as gRPC takes it (JSON numbers as doubles). */
  @SuppressWarnings("unchecked")
  public static Map<String, ?> load() {
    try (InputStream in = ServiceConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (it is packed into kofu-proto)");
      }
      return (Map<String, ?>) asGrpcJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON as gRPC's service-config parser takes it: maps, lists, strings, booleans, doubles. */
  private static Object asGrpcJson(com.fasterxml.jackson.databind.JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), asGrpcJson(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      java.util.List<Object> l = new java.util.ArrayList<>();
      n.forEach(e -> l.add(asGrpcJson(e)));
      return l;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.isNull() ? null : n.asText();
  }

  /** The builder with the service config as its default and retries on. */
  public static <T extends ManagedChannelBuilder<T>> T apply(T builder) {
    return builder.defaultServiceConfig(load()).enableRetry();
  }
}

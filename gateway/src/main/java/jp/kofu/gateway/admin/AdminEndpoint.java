package jp.kofu.gateway.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin HTTP port, for the operators' network or loopback (plain HTTP, nothing a copier or
 * resident uses; Kubernetes' gRPC probes cannot speak TLS, these can):
 *
 * <ul>
 *   <li>{@code GET /livez}: 200 while the process can answer at all. Failing it means "restart
 *       me"; nothing the gateway depends on (journal, revocation, municipalities) affects it.
 *   <li>{@code GET /readyz}: 200 while {@link Readiness} says the gateway takes traffic, else 503;
 *       the body names each failing check, one per line.
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format (version 0.0.4).
 * </ul>
 */
public final class AdminEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private AdminEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @param readiness null: /readyz answers as /livez (a process with nothing to be ready for)
   * @param registry null: /metrics answers 404
   */
  public static AdminEndpoint start(InetSocketAddress listen, Readiness readiness, PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(listen, 64);
      ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("admin-", 0).factory());
      server.setExecutor(executor);
      server.createContext("/", exchange -> serve(exchange, readiness, registry));
      server.start();
      return new AdminEndpoint(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the admin port on " + listen, e);
    }
  }

  private static void serve(HttpExchange exchange, Readiness readiness, PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/livez" -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz" -> {
          if (readiness == null || readiness.ready()) {
            send(exchange, 200, "text/plain; charset=utf-8", "ready\n");
          } else {
            StringBuilder body = new StringBuilder("not ready\n");
            for (Map.Entry<String, String> p : readiness.problems().entrySet()) {
              body.append(p.getKey()).append(": ").append(p.getValue().replace('\n', ' ')).append('\n');
            }
            send(exchange, 503, "text/plain; charset=utf-8", body.toString());
          }
        }
        case "/metrics" -> {
          if (registry == null) {
            send(exchange, 404, "text/plain; charset=utf-8", "no metrics here\n");
          } else {
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
          }
        }
        default -> send(exchange, 404, "text/plain; charset=utf-8", "not found (expected: /livez, /readyz or /metrics)\n");
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

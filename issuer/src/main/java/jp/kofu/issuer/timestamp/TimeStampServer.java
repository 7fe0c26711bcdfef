package jp.kofu.issuer.timestamp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The time-stamping unit over HTTP, the RFC 3161 §3.4 way: {@code POST /tsa} with a DER
 * TimeStampReq ({@code application/timestamp-query}) answers a DER TimeStampResp ({@code
 * application/timestamp-reply}). Other methods get 405, other content types 415, bodies over
 * 16 KiB 413. For a municipality's issuer that signs elsewhere than kofu's process; inside kofu the
 * signer calls {@link TimeStampAuthority} directly.
 */
public final class TimeStampServer implements AutoCloseable {
  public static final String PATH = "/tsa";
  private static final int MAX_REQUEST = 16 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;

  private TimeStampServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves {@code authority} on {@code address} (port 0: any free port) until closed. */
  public static TimeStampServer start(TimeStampAuthority authority, InetSocketAddress address) {
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(address, "address");
    HttpServer server;
    try {
      server = HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "kofu-tsa-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> handle(authority, exchange));
    server.start();
    return new TimeStampServer(server, executor);
  }

  /** Where to send requests, e.g. http://127.0.0.1:40123/tsa. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + PATH);
  }

  private static void handle(TimeStampAuthority authority, HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        plain(exchange, 405, "POST a DER TimeStampReq (application/timestamp-query)\n");
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/timestamp-query")) {
        plain(exchange, 415, "Content-Type: " + type + " (expected: application/timestamp-query)\n");
        return;
      }
      byte[] request;
      try (InputStream in = exchange.getRequestBody()) {
        request = in.readNBytes(MAX_REQUEST + 1);
      }
      if (request.length > MAX_REQUEST) {
        plain(exchange, 413, "request over " + MAX_REQUEST + " bytes\n");
        return;
      }
      byte[] response = authority.respond(request);
      exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  private static void plain(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

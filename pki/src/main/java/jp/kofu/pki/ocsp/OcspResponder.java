package jp.kofu.pki.ocsp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.TrustWorld;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust world's revocation service over HTTP:
 *
 * <ul>
 *   <li>{@code POST /ocsp} (body: DER OCSPRequest) and {@code GET /ocsp/BASE64} (RFC 6960 A.1):
 *       OCSP for the card and smartphone CAs;
 *   <li>{@code GET /crl/NAME.crl}: the DER CRL of the CA called NAME ({@code card-ca},
 *       {@code smartphone-ca}, {@code terminal-ca}, ...), signed at the moment it is asked for.
 * </ul>
 *
 * Both are made from the world's current revocation state; for a world kept on disk, what another
 * process revoked ({@code kofu pki revoke}) is seen at the next request.
 */
public final class OcspResponder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);
  /** An OCSP request for one certificate is about 100 bytes; far larger ones are refused unread. */
  static final int MAX_REQUEST_BYTES = 16 * 1024;

  private final TrustWorld world;
  private final OcspResponses responses;
  private final HttpServer server;
  private final ExecutorService executor;

  private OcspResponder(TrustWorld world, InetSocketAddress listen) throws IOException {
    this.world = world;
    this.responses = new OcspResponses(world);
    this.server = HttpServer.create(listen, 64);
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ocsp-", 0).factory());
    server.setExecutor(executor);
    server.createContext("/ocsp", this::ocsp);
    server.createContext("/crl/", this::crl);
    server.start();
  }

  /** Starts answering on {@code listen} (port 0: any free port). */
  public static OcspResponder start(TrustWorld world, InetSocketAddress listen) {
    try {
      OcspResponder r = new OcspResponder(world, listen);
      log.debug("OCSP responder and CRLs on {}", r.baseUri());
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + listen, e);
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  public URI baseUri() {
    InetSocketAddress a = address();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort());
  }

  /** Where to send OCSP requests. */
  public URI ocspUri() {
    return baseUri().resolve("/ocsp");
  }

  /** Where the CRL of {@code ca} is served. */
  public URI crlUri(CertificateAuthority ca) {
    return baseUri().resolve("/crl/" + ca.name() + ".crl");
  }

  private void ocsp(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] request;
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if ("POST".equals(method) && path.equals("/ocsp")) {
        request = readBounded(exchange.getRequestBody());
        if (request == null) {
          exchange.sendResponseHeaders(413, -1);
          return;
        }
      } else if ("GET".equals(method) && path.startsWith("/ocsp/") && path.length() <= 2 * MAX_REQUEST_BYTES) {
        try {
          request = Base64.getDecoder().decode(URLDecoder.decode(path.substring("/ocsp/".length()), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          request = new byte[0];
        }
      } else {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = responses.respond(request);
      exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (RuntimeException e) {
      log.warn("OCSP request failed: {}", e.toString());
    }
  }

  private void crl(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String name = path.substring("/crl/".length());
      if (!"GET".equals(exchange.getRequestMethod()) || !name.endsWith(".crl")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      CertificateAuthority ca;
      try {
        ca = world.authority(name.substring(0, name.length() - ".crl".length()));
      } catch (IllegalArgumentException e) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      world.syncRevocations();
      byte[] body = ca.crl(CertificateAuthority.PUBLISHED_CRL_VALIDITY).getEncoded();
      exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (CRLException | RuntimeException e) {
      log.warn("CRL request failed: {}", e.toString());
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_REQUEST_BYTES + 1);
    return b.length > MAX_REQUEST_BYTES ? null : b;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

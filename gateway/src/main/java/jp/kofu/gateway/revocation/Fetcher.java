package jp.kofu.gateway.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Fetches revocation data over HTTP or from a file, with a timeout and a size limit. */
final class Fetcher implements AutoCloseable {
  /** A CRL of a CA with millions of cards is tens of MiB; beyond this something is wrong. */
  static final int MAX_BYTES = 64 * 1024 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  Fetcher(Duration timeout) {
    this.timeout = timeout;
    // No redirects and no proxy: revocation data comes from where it is configured, nowhere else.
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  byte[] get(URI uri) throws IOException {
    if ("file".equals(uri.getScheme())) {
      Path file = Path.of(uri);
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + ": larger than " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    }
    return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), MAX_BYTES);
  }

  byte[] post(URI uri, String contentType, byte[] body, int maxBytes) throws IOException {
    return send(
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        maxBytes);
  }

  private byte[] send(HttpRequest request, int maxBytes) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new IOException("answer larger than " + maxBytes + " bytes");
      }
      return body;
    }
  }

  @Override
  public void close() {
    http.close();
  }
}

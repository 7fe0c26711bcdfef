package jp.kofu.issuer.document;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jp.kofu.pki.Pem;

/**
 * CRLs fetched from where their CAs publish them ({@code http}, {@code https} or {@code file}
 * URIs, DER or PEM): the production source of {@link LongTermValidation}. Every source is read on
 * each call (once per freshness window); the CRLs whose issuer is the one asked are returned, and
 * {@link LongTermValidation} keeps only one that its issuer signed.
 */
public final class PublishedCrls implements LongTermValidation.CrlSource {
  private static final int MAX_BYTES = 16 << 20;

  private final List<URI> sources;
  private final Duration timeout;
  private final HttpClient client;

  public PublishedCrls(List<URI> sources, Duration timeout) {
    this.sources = List.copyOf(sources);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    for (URI u : this.sources) {
      if (u.getScheme() == null || !List.of("http", "https", "file").contains(u.getScheme())) {
        throw new IllegalArgumentException("CRL source '" + u + "' (expected: an http, https or file URI)");
      }
    }
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  @Override
  public List<X509CRL> crls(X509Certificate issuer) throws IOException {
    List<X509CRL> out = new ArrayList<>();
    IOException failure = null;
    for (URI source : sources) {
      try {
        X509CRL crl = parse(fetch(source));
        if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          out.add(crl);
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        failure = new IOException("CRL from " + source + ": " + e.getMessage(), e);
      }
    }
    if (out.isEmpty() && failure != null) {
      throw failure;
    }
    return out;
  }

  private byte[] fetch(URI source) throws IOException {
    if (source.getScheme().equals("file")) {
      return Files.readAllBytes(Path.of(source));
    }
    try {
      HttpResponse<byte[]> reply = client.send(
          HttpRequest.newBuilder(source).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (reply.statusCode() != 200) {
        throw new IOException("HTTP " + reply.statusCode());
      }
      if (reply.body().length > MAX_BYTES) {
        throw new IOException("more than " + MAX_BYTES + " bytes");
      }
      return reply.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static X509CRL parse(byte[] bytes) throws GeneralSecurityException {
    String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII);
    if (start.contains("-----BEGIN")) {
      return Pem.crl(new String(bytes, StandardCharsets.US_ASCII));
    }
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
  }
}

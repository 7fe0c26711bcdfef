package jp.kofu.issuer.timestamp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/**
 * Timestamps from an RFC 3161 TSA over HTTP (such as {@link TimeStampServer}): each request
 * carries a fresh nonce and asks for the TSA's certificate, and the response must match it
 * (BouncyCastle's {@code TimeStampResponse.validate}) or it is refused.
 */
public final class HttpTimeStampSource implements TimeStampSource {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI uri;
  private final Duration timeout;
  private final HttpClient client;

  public HttpTimeStampSource(URI uri, Duration timeout) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public byte[] timestamp(byte[] sha256) {
    Objects.requireNonNull(sha256, "sha256");
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, RANDOM));
    HttpResponse<byte[]> reply;
    try {
      reply = client.send(
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/timestamp-query")
              .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TimeStampException("TSA " + uri + " unreachable: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeStampException("interrupted while waiting for TSA " + uri, e);
    }
    if (reply.statusCode() != 200) {
      throw new TimeStampException("TSA " + uri + " answered HTTP " + reply.statusCode());
    }
    try {
      TimeStampResponse response = new TimeStampResponse(reply.body());
      response.validate(request);
      if (response.getTimeStampToken() == null) {
        throw new TimeStampException("TSA " + uri + " refused: " + response.getStatusString());
      }
      return response.getTimeStampToken().getEncoded();
    } catch (TSPException | IOException | IllegalArgumentException e) {
      throw new TimeStampException("TSA " + uri + " answered no valid timestamp for the request", e);
    }
  }
}

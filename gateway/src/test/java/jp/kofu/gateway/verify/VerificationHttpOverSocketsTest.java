package jp.kofu.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kofu.testing.FakeClock;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verification page over raw sockets (real sockets, bytes written by hand): pipelined
 * requests answered in order, malformed and oversized requests answered with their status
 * instead of a closed connection, and the client address behind trusted proxies only.
 */
class VerificationHttpOverSocketsTest {
  static final String UNKNOWN = "/api/v1/verify/ABCD-EFGH-JKMN";

  final Database db = Databases.fresh(Databases.Kind.H2, IssuanceJournal.MIGRATIONS);
  final List<VerificationHttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(VerificationHttpServer::close);
    db.close();
  }

  VerificationHttpServer server(int lookupsPerMinute, ClientAddresses clients) {
    Verifications v = new Verifications(new IssuanceJournal(db), FakeClock.inServiceHours(), Duration.ofDays(90), lookupsPerMinute);
    VerificationHttpServer s = VerificationHttpServer.start(v, new InetSocketAddress("127.0.0.1", 0), clients);
    servers.add(s);
    return s;
  }

  record Response(int status, String head, String body) {}

  /** Sends {@code raw} in one write, then reads {@code n} responses (Content-Length framed). */
  static List<Response> exchange(InetSocketAddress to, String raw, int n) throws IOException {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(read(in));
      }
      return out;
    }
  }

  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes of a response head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ").matcher(h);
    assertThat(status.find()).as(h).isTrue();
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
    int len = length.find() ? Integer.parseInt(length.group(1)) : 0;
    byte[] body = in.readNBytes(len);
    return new Response(Integer.parseInt(status.group(1)), h, new String(body, StandardCharsets.UTF_8));
  }

  static String get(String path, String... headers) {
    return "GET " + path + " HTTP/1.1\r\nHost: verify.test\r\n" + String.join("", headers) + "\r\n";
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
    VerificationHttpServer s = server(10_000, ClientAddresses.direct());
    StringBuilder raw = new StringBuilder();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // A journal lookup (slow) before a static page (fast), again and again.
      switch (i % 3) {
        case 0 -> {
          raw.append(get(UNKNOWN));
          expected.add(404);
        }
        case 1 -> {
          raw.append(get("/"));
          expected.add(200);
        }
        default -> {
          raw.append(get("/api/v1/verify/not-a-code"));
          expected.add(400);
        }
      }
    }
    List<Response> answers = exchange(s.address(), raw.toString(), 12);
    assertThat(answers).extracting(Response::status).containsExactlyElementsOf(expected);
    for (int i = 0; i < 12; i++) {
      Response r = answers.get(i);
      switch (i % 3) {
        case 0 -> assertThat(r.body()).contains("VERIFICATION_CODE_UNKNOWN");
        case 1 -> assertThat(r.body()).contains("<form");
        default -> assertThat(r.body()).contains("FIELD_INVALID");
      }
    }
  }

  @Test
  void malformedAndOversizedRequestsAreAnsweredWithTheirStatusThenClosed() throws Exception {
    VerificationHttpServer s = server(10_000, ClientAddresses.direct());
    assertThat(exchange(s.address(), get("/v/" + "A".repeat(6000)), 1).get(0).status()).isEqualTo(414);
    assertThat(exchange(s.address(), get("/", "X-Big: " + "b".repeat(9000) + "\r\n"), 1).get(0).status()).isEqualTo(431);
    Response garbage = exchange(s.address(), "GET / HTTP/1.1\r\nHost verify.test no colon\r\n\r\n", 1).get(0);
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.head()).containsIgnoringCase("connection: close");
    assertThat(exchange(s.address(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab", 1).get(0).status()).isEqualTo(405);
    // A good request before a bad one on the same connection is answered first.
    List<Response> both = exchange(s.address(), get("/") + get("/" + "A".repeat(6000)), 2);
    assertThat(both).extracting(Response::status).containsExactly(200, 414);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnRateBucket() throws Exception {
    VerificationHttpServer s = server(2, ClientAddresses.trusting(List.of("127.0.0.0/8")));
    String a = "X-Forwarded-For: 192.0.2.10, 127.0.0.1\r\n";
    List<Response> first = exchange(s.address(), get(UNKNOWN, a) + get(UNKNOWN, a) + get(UNKNOWN, a), 3);
    assertThat(first).extracting(Response::status).containsExactly(404, 404, 429);
    assertThat(first.get(2).head()).containsIgnoringCase("retry-after:");
    // Another client behind the same proxy, in RFC 7239 form: a bucket of its own.
    List<Response> other = exchange(s.address(), get(UNKNOWN, "Forwarded: for=\"[2001:db8::7]:4711\";proto=https\r\n"), 1);
    assertThat(other).extracting(Response::status).containsExactly(404);
  }

  @Test
  void fromAPeerThatIsNoTrustedProxyForwardingHeadersAreIgnored() throws Exception {
    VerificationHttpServer s = server(2, ClientAddresses.trusting(List.of("10.0.0.0/8")));
    List<Response> r =
        exchange(s.address(), get(UNKNOWN, "X-Forwarded-For: 192.0.2.1\r\n") + get(UNKNOWN, "X-Forwarded-For: 192.0.2.2\r\n")
            + get(UNKNOWN, "X-Forwarded-For: 192.0.2.3\r\n"), 3);
    assertThat(r).extracting(Response::status).containsExactly(404, 404, 429);
  }

  @Test
  void theClientIsTheRightmostAddressThatIsNotATrustedProxy() throws Exception {
    ClientAddresses c = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.168.1.1", "fd00::/8"));
    InetAddress proxy = InetAddress.getByName("10.1.2.3");
    io.netty.handler.codec.http.HttpHeaders h = new io.netty.handler.codec.http.DefaultHttpHeaders();
    // A client that forged the first hop: the proxies' own additions are what count.
    h.set("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 192.168.1.1");
    assertThat(c.of(proxy, h).getHostAddress()).isEqualTo("203.0.113.9");
    h.clear().set("Forwarded", "for=198.51.100.4:1234, for=\"[fd00::1]\"");
    assertThat(c.of(proxy, h).getHostAddress()).isEqualTo("198.51.100.4");
    h.clear().set("X-Forwarded-For", "unknown");
    assertThat(c.of(proxy, h)).isEqualTo(proxy);
    h.clear().set("X-Forwarded-For", "203.0.113.9");
    InetAddress stranger = InetAddress.getByName("203.0.113.50");
    assertThat(c.of(stranger, h)).isEqualTo(stranger);
    assertThat(c.trusts(InetAddress.getByName("fd12::3"))).isTrue();
    assertThat(c.trusts(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThatThrownBy(() -> ClientAddresses.trusting(List.of("proxy.example"))).hasMessageContaining("expected: an IP address or CIDR");
    assertThatThrownBy(() -> ClientAddresses.trusting(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
  }
}

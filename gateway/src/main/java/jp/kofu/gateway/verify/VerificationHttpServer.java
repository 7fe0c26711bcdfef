package jp.kofu.gateway.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public verification page, on its own port of the gateway process (plain HTTP/1.1 on Netty;
 * a deployment puts TLS in front):
 *
 * <ul>
 *   <li>{@code GET /} a form to type a code;
 *   <li>{@code GET /v/CODE?d=DOCUMENT_NUMBER} (what a certificate's QR code opens) and {@code GET
 *       /v?code=CODE}: the answer as a page for people; a {@code d} that is not the number of the
 *       document issued with the code is DOCUMENT_NUMBER_MISMATCH, never GENUINE;
 *   <li>{@code GET /api/v1/verify/CODE} the same as JSON; with {@code ?sha256=HEX} (of the file you
 *       hold) it also says whether the file is the one issued, with {@code ?d=} (or {@code
 *       document_number=}) whether the code is that document's.
 * </ul>
 *
 * JSON errors are {@code {"error": {"reason", "message", "metadata"}}} with the HTTP status of the
 * reason: 400 FIELD_INVALID, 404 VERIFICATION_CODE_UNKNOWN, 429 RATE_LIMITED (with Retry-After),
 * 503 JOURNAL_UNAVAILABLE. Nothing here carries personal data. Lookups run on virtual threads,
 * never on the event loop.
 */
public final class VerificationHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerificationHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter JST =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'JST'").withZone(ZoneId.of("Asia/Tokyo"));
  private static final int MAX_REQUEST_BYTES = 8 * 1024;
  private static final int MAX_LINE_BYTES = 4096;
  private static final int MAX_HEADER_BYTES = 8192;

  private final Verifications verifications;
  private final ClientAddresses clients;
  private final EventLoopGroup group;
  private final ExecutorService lookups;
  private final Channel channel;

  private VerificationHttpServer(Verifications verifications, InetSocketAddress listen, ClientAddresses clients) throws InterruptedException {
    this.verifications = verifications;
    this.clients = clients;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.lookups = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("verify-http-", 0).factory());
    try {
      this.channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                          .addLast(new HttpServerCodec(MAX_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast(new Handler());
                    }
                  })
              .bind(listen)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      lookups.shutdownNow();
      throw e;
    }
    InetSocketAddress page = address();
    log.info("verification page on http://{}:{}/", page.getHostString(), page.getPort());
  }

  public static VerificationHttpServer start(Verifications verifications, InetSocketAddress listen) {
    return start(verifications, listen, ClientAddresses.direct());
  }

  /** The same, the client's address taken from the forwarding headers of {@code clients}' trusted proxies. */
  public static VerificationHttpServer start(Verifications verifications, InetSocketAddress listen, ClientAddresses clients) {
    try {
      return new VerificationHttpServer(verifications, listen, clients);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + listen, e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    lookups.shutdownNow();
  }

  /**
   * One connection. Requests may be pipelined (sent before the previous answer): each is looked
   * up on a virtual thread as it arrives, but answers are written strictly in the order the
   * requests came, each after the one before. A request the codec could not parse is answered
   * 414 (request line too long), 431 (headers too large), 413 (body too large) or 400, and the
   * connection is then closed, since the codec cannot find where the next request starts.
   */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Completes when the previous answer on this connection has been written. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    /**
     * Completes when the previous lookup on this connection has run: pipelined requests are
     * looked up one after another, in the order they came (and rate-limited in that order), not
     * only answered in it.
     */
    private CompletableFuture<?> lastLookup = CompletableFuture.completedFuture(null);
    private boolean closing;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (closing) {
        return; // after an answer that closes the connection, nothing more is read
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      CompletableFuture<FullHttpResponse> answer;
      if (request.decoderResult().isFailure()) {
        keepAlive = false;
        answer = CompletableFuture.completedFuture(malformed(request.decoderResult().cause()));
      } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
        answer = CompletableFuture.completedFuture(plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n"));
      } else {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        InetAddress client = clients.of(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), request.headers());
        String path = uri.path();
        Map<String, List<String>> query = uri.parameters();
        answer = lastLookup.handle((x, e) -> null).thenApplyAsync(ignored -> respond(path, query, client), lookups);
        lastLookup = answer;
      }
      boolean head = request.method().equals(HttpMethod.HEAD);
      boolean keep = keepAlive;
      closing = !keepAlive;
      previous =
          previous.thenCombine(answer, (done, response) -> response)
              .thenCompose(response -> write(ctx, response, keep, head));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("verification connection closed: {}", cause.getClass().getSimpleName());
      ctx.close();
    }
  }

  /** The answer to a request the HTTP codec could not decode. */
  static FullHttpResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return plain(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long (at most " + MAX_LINE_BYTES + " bytes)\n");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return plain(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large (at most " + MAX_HEADER_BYTES + " bytes)\n");
    }
    if (cause instanceof TooLongFrameException) {
      return plain(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large (at most " + MAX_REQUEST_BYTES + " bytes)\n");
    }
    return plain(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n");
  }

  private FullHttpResponse respond(String path, Map<String, List<String>> query, InetAddress client) {
    try {
      if (path.equals("/")) {
        return html(HttpResponseStatus.OK, page("照合番号を入力してください。 Type the verification code printed on the certificate.", null));
      }
      if (path.startsWith("/api/v1/verify/")) {
        String code = path.substring("/api/v1/verify/".length());
        return json(verifications.verify(code, sha256(query), documentNumber(query), client));
      }
      if (path.startsWith("/v/") || path.equals("/v")) {
        String code = path.equals("/v") ? first(query, "code") : path.substring(3);
        Verification v = verifications.verify(code, sha256(query), documentNumber(query), client);
        return html(HttpResponseStatus.OK, page(null, v));
      }
      return plain(HttpResponseStatus.NOT_FOUND, "not found\n");
    } catch (KofuException e) {
      return path.startsWith("/api/") ? jsonError(e) : html(status(e.reason()), page(message(e), null));
    } catch (RuntimeException e) {
      log.error("verification page failed", e);
      return plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
    }
  }

  private static byte[] sha256(Map<String, List<String>> query) {
    String hex = first(query, "sha256");
    if (hex == null || hex.isEmpty()) {
      return null;
    }
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw KofuException.invalidField("sha256", "64 hex digits");
    }
    return HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
  }

  /** The document number the link or the verifier gives: {@code d} (the QR code's) or {@code document_number}. */
  private static String documentNumber(Map<String, List<String>> query) {
    String d = first(query, "d");
    return d != null ? d : first(query, "document_number");
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static HttpResponseStatus status(Reason reason) {
    return switch (reason) {
      case FIELD_INVALID -> HttpResponseStatus.BAD_REQUEST;
      case VERIFICATION_CODE_UNKNOWN -> HttpResponseStatus.NOT_FOUND;
      case RATE_LIMITED -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case JOURNAL_UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }

  private static String message(KofuException e) {
    return switch (e.reason()) {
      case FIELD_INVALID -> "照合番号の形式が正しくありません。 That is not a verification code (XXXX-XXXX-XXXX).";
      case VERIFICATION_CODE_UNKNOWN -> "この照合番号の証明書はありません。 No certificate was issued with this code. Check it and type it again.";
      case RATE_LIMITED -> "照会が多すぎます。しばらくしてからお試しください。 Too many lookups: please wait a minute.";
      default -> "ただいま照会できません。 Verification is unavailable; please try later.";
    };
  }

  private static FullHttpResponse json(Verification v) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", v.status().name());
    o.put("explanation", v.explanation());
    if (v.status() != Verification.Status.EXPIRED) {
      o.put("municipality_code", v.municipalityCode());
      o.put("municipality_name", v.municipalityName());
      o.put("certificate_type", v.certificateType().name());
      o.put("certificate_title", v.certificateType().title());
      o.put("document_number", v.documentNumber());
      o.put("issued_at", v.issuedAt().toString());
      o.put("sha256", v.sha256Hex());
      o.put("page_count", v.pageCount());
      o.put("valid_until", v.validUntil().toString());
    }
    return bytes(HttpResponseStatus.OK, "application/json; charset=utf-8", o.toString());
  }

  private static FullHttpResponse jsonError(KofuException e) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode error = o.putObject("error");
    error.put("reason", e.reason().name());
    error.put("message", e.getMessage());
    ObjectNode meta = error.putObject("metadata");
    e.metadata().forEach(meta::put);
    FullHttpResponse r = bytes(status(e.reason()), "application/json; charset=utf-8", o.toString());
    retryAfter(r, e);
    return r;
  }

  private static void retryAfter(FullHttpResponse r, KofuException e) {
    String ms = e.metadata().get("retry_after_ms");
    if (ms != null) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (Long.parseLong(ms) + 999) / 1000)));
    }
  }

  private static String page(String notice, Verification v) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>証明書の照合 — kofu</title><style>")
        .append("body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#222}")
        .append("h1{font-size:1.4em}.ok{color:#05612e}.bad{color:#a4161a}dt{font-weight:bold;margin-top:.6em}")
        .append("dd{margin-left:0;font-family:monospace;word-break:break-all}input{font-size:1.2em;font-family:monospace}")
        .append("</style></head><body><h1>証明書の照合 Certificate verification</h1>");
    if (notice != null) {
      h.append("<p>").append(escape(notice)).append("</p>");
    }
    if (v != null) {
      boolean ok = v.status() == Verification.Status.GENUINE;
      h.append("<p class=\"").append(ok ? "ok" : "bad").append("\"><strong>").append(v.status().name()).append("</strong> — ")
          .append(escape(v.explanation())).append("</p>");
      if (v.status() != Verification.Status.EXPIRED) {
        h.append("<dl>");
        item(h, "発行団体 Municipality", v.municipalityName() + " (" + v.municipalityCode() + ")");
        item(h, "証明書 Certificate", v.certificateType().title());
        item(h, "証明書番号 Document number", v.documentNumber());
        item(h, "交付日時 Issued", JST.format(v.issuedAt()));
        item(h, "頁数 Pages", Integer.toString(v.pageCount()));
        item(h, "SHA-256 of the PDF as issued", v.sha256Hex());
        item(h, "照合期限 Verifiable until", JST.format(v.validUntil()));
        h.append("</dl><p>氏名・住所などの個人情報は表示しません。 No personal data is shown: compare the paper you hold")
            .append(" with these facts, and a PDF's SHA-256 with the one above.</p>");
      }
    }
    h.append("<form action=\"/v\" method=\"get\"><label>照合番号 Code: <input name=\"code\" maxlength=\"20\"")
        .append(" placeholder=\"XXXX-XXXX-XXXX\" autocomplete=\"off\"></label> <button>照合 Verify</button></form>")
        .append("</body></html>");
    return h.toString();
  }

  private static void item(StringBuilder h, String label, String value) {
    h.append("<dt>").append(escape(label)).append("</dt><dd>").append(escape(value)).append("</dd>");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static FullHttpResponse html(HttpResponseStatus status, String body) {
    return bytes(status, "text/html; charset=utf-8", body);
  }

  private static FullHttpResponse plain(HttpResponseStatus status, String body) {
    return bytes(status, "text/plain; charset=utf-8", body);
  }

  private static FullHttpResponse bytes(HttpResponseStatus status, String type, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, b.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    return r;
  }

  /** Writes one answer (headers only for HEAD); completes when it is written. */
  private static CompletableFuture<Void> write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
    if (head) {
      response.content().clear();
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    CompletableFuture<Void> written = new CompletableFuture<>();
    ChannelFuture f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    f.addListener(done -> written.complete(null));
    return written;
  }
}

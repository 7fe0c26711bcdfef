package jp.kofu.sim.copier;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.X509;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.AuthenticateResponse;
import jp.kofu.proto.kiosk.v1.CloseSessionRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryResponse;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest.DeliveryOutcome;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.ListOfferingsRequest;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest.PrintFailure;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.sim.card.SimulatedCard;

/**
 * A simulated store copier: one mTLS connection to the gateway with its terminal certificate, the
 * kiosk calls one by one, and {@link #issueOnce} for the whole flow with every check a copier makes.
 */
public final class Copier implements AutoCloseable {
  public static final String SOFTWARE = "kofu-sim/0.1";
  static final int MAX_CHUNK = 64 * 1024;

  private final ManagedChannel channel;
  private final KioskServiceGrpc.KioskServiceBlockingStub kiosk;
  private final DocumentAcceptance acceptance;

  /** A copier on the machine's clock (a copier is a machine of its own). */
  public Copier(InetSocketAddress gateway, HeldCertificate terminal, X509Certificate serviceCa, List<X509Certificate> municipalAnchors) {
    this(gateway, terminal, serviceCa, municipalAnchors, java.time.Clock.systemUTC());
  }

  /** @param clock the copier's clock: when it judges the validity of a document's certificates */
  public Copier(
      InetSocketAddress gateway, HeldCertificate terminal, X509Certificate serviceCa, List<X509Certificate> municipalAnchors, java.time.Clock clock) {
    this(gateway, terminal, serviceCa, municipalAnchors, clock, jp.kofu.grpc.TlsProvider.AUTO);
  }

  /** A copier whose TLS is {@code tls}'s (the benchmarks compare the JDK's and BoringSSL). */
  public Copier(
      InetSocketAddress gateway, HeldCertificate terminal, X509Certificate serviceCa, List<X509Certificate> municipalAnchors, jp.kofu.grpc.TlsProvider tls) {
    this(gateway, terminal, serviceCa, municipalAnchors, java.time.Clock.systemUTC(), tls);
  }

  public Copier(
      InetSocketAddress gateway,
      HeldCertificate terminal,
      X509Certificate serviceCa,
      List<X509Certificate> municipalAnchors,
      java.time.Clock clock,
      jp.kofu.grpc.TlsProvider tls) {
    try {
      this.channel =
          ServiceConfig.apply(NettyChannelBuilder.forAddress(gateway))
              .sslContext(
                  tls.forClient()
                      .keyManager(terminal.privateKey(), terminal.chain().toArray(X509Certificate[]::new))
                      .trustManager(serviceCa)
                      .build())
              .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
    this.kiosk = KioskServiceGrpc.newBlockingStub(channel);
    this.acceptance = new DocumentAcceptance(municipalAnchors, clock);
  }

  /**
   * A copier of the development trust world, on the world's clock: its terminal certificate is
   * issued on first use.
   */
  public static Copier forWorld(InetSocketAddress gateway, jp.kofu.pki.TrustWorld pki, String storeChain, String store, String terminal) {
    return new Copier(
        gateway,
        pki.terminal(storeChain, store, terminal),
        pki.serviceCa().certificate(),
        List.of(pki.municipalCa().certificate()),
        pki.clock());
  }

  /**
   * A copier on a channel made by the caller (grpc-java's in-process transport in the gateway's
   * unit tests): the channel carries the terminal's identity, and its calls every copier check.
   */
  public Copier(ManagedChannel channel, List<X509Certificate> municipalAnchors, java.time.Clock clock) {
    this.channel = channel;
    this.kiosk = KioskServiceGrpc.newBlockingStub(channel);
    this.acceptance = new DocumentAcceptance(municipalAnchors, clock);
  }

  /** The stub, for calls this class does not wrap (tests of bad input). */
  public KioskServiceGrpc.KioskServiceBlockingStub stub() {
    return kiosk.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public OpenSessionResponse openSession() {
    return stub().openSession(OpenSessionRequest.newBuilder().setTerminalSoftware(SOFTWARE).build());
  }

  /** The card signs the challenge after the PIN, then the gateway checks both. */
  public AuthenticateResponse authenticate(OpenSessionResponse session, SimulatedCard card, String pin)
      throws SimulatedCard.PinException {
    byte[] signature = card.sign(pin, session.getChallenge().toByteArray());
    return stub()
        .authenticate(
            AuthenticateRequest.newBuilder()
                .setChallenge(session.getChallenge())
                .setCardCertificate(ByteString.copyFrom(card.certificateDer()))
                .setSignature(ByteString.copyFrom(signature))
                .setCredentialKind(card.smartphone() ? CredentialKind.CREDENTIAL_KIND_SMARTPHONE : CredentialKind.CREDENTIAL_KIND_CARD)
                .build());
  }

  public ListOfferingsResponse offerings(ByteString token) {
    return stub().listOfferings(ListOfferingsRequest.newBuilder().setSessionToken(token).build());
  }

  /** Issues and receives the whole stream, checking its framing (offsets, sizes, digests). */
  public ReceivedDocument issue(ByteString token, String orderId, String municipalityCode, CertificateRequest request) {
    return issue(token, orderId, municipalityCode, request, false, h -> {});
  }

  /**
   * The same, telling {@code onHeader} as soon as the header arrives: from then on the gateway owes
   * this copier that document, even if the stream breaks before its end.
   */
  public ReceivedDocument issue(
      ByteString token, String orderId, String municipalityCode, CertificateRequest request, java.util.function.Consumer<IssueHeader> onHeader) {
    return issue(token, orderId, municipalityCode, request, false, onHeader);
  }

  /**
   * Starts an issuance and walks away after its header, as a copier does when the resident
   * cancels or the copier loses power: the call is cancelled mid-stream. Returns the header.
   */
  public IssueHeader issueAndCancel(ByteString token, String orderId, String municipalityCode, CertificateRequest request) {
    io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
    try {
      return context.call(() -> issue(token, orderId, municipalityCode, request, true, h -> {}).header());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      context.cancel(null);
    }
  }

  private ReceivedDocument issue(
      ByteString token, String orderId, String municipalityCode, CertificateRequest request, boolean headerOnly,
      java.util.function.Consumer<IssueHeader> onHeader) {
    long called = System.nanoTime();
    long headerAt = 0;
    Iterator<IssueResponse> stream =
        stub()
            .issue(
                IssueRequest.newBuilder()
                    .setSessionToken(token)
                    .setOrderId(orderId)
                    .setMunicipalityCode(municipalityCode)
                    .setCertificate(request)
                    .build());
    IssueHeader header = null;
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    int chunks = 0;
    boolean trailer = false;
    while (stream.hasNext()) {
      IssueResponse r = stream.next();
      switch (r.getPartCase()) {
        case HEADER -> {
          if (header != null) {
            throw new IllegalStateException("two headers");
          }
          header = r.getHeader();
          headerAt = System.nanoTime();
          onHeader.accept(header);
          if (headerOnly) {
            return new ReceivedDocument(header, new byte[0], 0, called, headerAt, 0);
          }
        }
        case CHUNK -> {
          if (header == null || trailer) {
            throw new IllegalStateException("chunk outside header..trailer");
          }
          if (r.getChunk().getOffset() != pdf.size() || r.getChunk().getData().size() > MAX_CHUNK) {
            throw new IllegalStateException("chunk at offset " + r.getChunk().getOffset() + " of " + r.getChunk().getData().size() + " bytes");
          }
          pdf.writeBytes(r.getChunk().getData().toByteArray());
          chunks++;
        }
        case TRAILER -> {
          if (header == null || r.getTrailer().getChunkCount() != chunks
              || !Arrays.equals(r.getTrailer().getSha256().toByteArray(), X509.sha256(pdf.toByteArray()))) {
            throw new IllegalStateException("trailer does not match what was received");
          }
          trailer = true;
        }
        default -> throw new IllegalStateException("unknown part");
      }
    }
    if (!trailer) {
      throw new IllegalStateException("stream ended without a trailer");
    }
    return new ReceivedDocument(header, pdf.toByteArray(), chunks, called, headerAt, System.nanoTime());
  }

  public ConfirmDeliveryResponse confirm(ByteString token, String issuanceId, boolean printed) {
    ConfirmDeliveryRequest.Builder b =
        ConfirmDeliveryRequest.newBuilder()
            .setSessionToken(token)
            .setIssuanceId(issuanceId)
            .setOutcome(printed ? DeliveryOutcome.DELIVERY_OUTCOME_PRINTED : DeliveryOutcome.DELIVERY_OUTCOME_FAILED);
    if (!printed) {
      b.setFailure(PrintFailure.PRINT_FAILURE_PAPER_JAM);
    }
    return stub().confirmDelivery(b.build());
  }

  public void closeSession(ByteString token) {
    stub().closeSession(CloseSessionRequest.newBuilder().setSessionToken(token).build());
  }

  /** Checks a received document as a copier must before printing it. */
  public VerifiedDocument accept(ReceivedDocument doc, SimulatedCard card, String orderId, String municipalityCode)
      throws MisissuanceException {
    return acceptance.check(doc, card.issuerKeyId(), card.serialHex(), orderId, municipalityCode);
  }

  /** What one whole issuance produced. */
  public record Outcome(ListOfferingsResponse offerings, ReceivedDocument document, VerifiedDocument verified, String orderId, ConfirmDeliveryResponse delivery) {}

  /**
   * The whole flow: open, PIN and signature, authenticate, offerings, issue, check, confirm as
   * printed, close.
   */
  public Outcome issueOnce(SimulatedCard card, String pin, String municipalityCode, CertificateRequest request)
      throws SimulatedCard.PinException, MisissuanceException {
    AuthenticateResponse auth = authenticate(openSession(), card, pin);
    ByteString token = auth.getSessionToken();
    try {
      ListOfferingsResponse offerings = offerings(token);
      String orderId = UUID.randomUUID().toString();
      ReceivedDocument doc = issue(token, orderId, municipalityCode, request);
      VerifiedDocument verified = accept(doc, card, orderId, municipalityCode);
      ConfirmDeliveryResponse delivery = confirm(token, doc.header().getIssuanceId(), true);
      return new Outcome(offerings, doc, verified, orderId, delivery);
    } finally {
      closeSession(token);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

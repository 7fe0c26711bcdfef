package jp.kofu.issuer.remote;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.issuer.spi.SpiVersion;
import jp.kofu.proto.issuer.v1.DescribeRequest;
import jp.kofu.proto.issuer.v1.IssuerServiceGrpc;

/**
 * Municipalities served by a remote issuer server: each SPI call is one kofu.issuer.v1 call on a
 * shared mTLS channel (an issuance, one IssueDocument; two, ResolveCard and IssueDocument, to a
 * server of SPI 1.0). The caller's gRPC deadline and cancellation (the gateway puts its
 * per-municipality deadline into the calling context) travel with the call; an interrupt of the
 * calling thread cancels it. Refusals come back as refusals ({@link IssuerErrors}); anything else is
 * a {@link RemoteIssuerException}.
 */
public final class RemoteIssuerAdapter implements IssuerAdapter {
  private final ManagedChannel channel;
  private final IssuerServiceGrpc.IssuerServiceBlockingStub stub;
  private final Set<String> codes;
  private final Duration callTimeout;
  /** The server's SPI version, once known (Describe): from 1.1 it resolves the card in IssueDocument. */
  private volatile SpiVersion serverVersion;

  private static final SpiVersion CARD_ISSUE = new SpiVersion(1, 1);

  /**
   * @param codes the municipalities routed to this server
   * @param callTimeout a ceiling for each call when the caller sets no tighter deadline
   */
  public RemoteIssuerAdapter(ManagedChannel channel, Set<String> codes, Duration callTimeout) {
    this(channel, codes, callTimeout, null);
  }

  /** @param serverVersion the SPI version the server said it speaks, or null to ask it on first use */
  public RemoteIssuerAdapter(ManagedChannel channel, Set<String> codes, Duration callTimeout, SpiVersion serverVersion) {
    this.serverVersion = serverVersion;
    this.channel = channel;
    this.stub = IssuerServiceGrpc.newBlockingStub(channel);
    this.codes = Set.copyOf(codes);
    this.callTimeout = callTimeout;
  }

  @Override
  public Set<String> municipalityCodes() {
    return codes;
  }

  @Override
  public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
    try {
      return IssuerProtos.decode(stub().resolveCard(IssuerProtos.encode(query)));
    } catch (StatusRuntimeException e) {
      throw translate(e, "ResolveCard");
    }
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    try {
      return IssuerProtos.decode(stub().listOfferings(IssuerProtos.encode(query)));
    } catch (StatusRuntimeException e) {
      throw translate(e, "ListOfferings");
    }
  }

  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    try {
      return IssuerProtos.decode(stub().issueDocument(IssuerProtos.encode(command)));
    } catch (StatusRuntimeException e) {
      throw translate(e, "IssueDocument");
    }
  }

  /**
   * One IssueDocument call without a resident handle when the server speaks SPI 1.1 or later (it
   * resolves the card itself); to a server of SPI 1.0, ResolveCard then IssueDocument, inside this
   * one adapter call. The server's version is asked once (Describe), within the first such call.
   */
  @Override
  public IssuedDocument issue(CardIssueCommand command) throws IssuanceRefusedException {
    if (!serverResolvesCards()) {
      return IssuerAdapter.super.issue(command);
    }
    try {
      return IssuerProtos.decode(stub().issueDocument(IssuerProtos.encode(command)));
    } catch (StatusRuntimeException e) {
      throw translate(e, "IssueDocument");
    }
  }

  private boolean serverResolvesCards() throws IssuanceRefusedException {
    SpiVersion v = serverVersion;
    if (v == null) {
      try {
        v = SpiVersion.parse(stub().describe(DescribeRequest.getDefaultInstance()).getSpiVersion());
      } catch (StatusRuntimeException e) {
        throw translate(e, "Describe");
      } catch (IllegalArgumentException e) {
        throw new RemoteIssuerException(Status.Code.INTERNAL, "Describe: " + e.getMessage(), e);
      }
      serverVersion = v;
    }
    return v.compareTo(CARD_ISSUE) >= 0;
  }

  private IssuerServiceGrpc.IssuerServiceBlockingStub stub() {
    // The earlier of this and the context's deadline applies.
    return stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static IssuanceRefusedException translate(StatusRuntimeException e, String method) {
    var refusal = IssuerErrors.refusalOf(e);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    Status.Code code = e.getStatus().getCode();
    String reason = IssuerErrors.errorInfo(e).map(i -> " " + i.getReason()).orElse("");
    if (code == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
      // The gateway gave up on this call: keep the interrupt visible to it.
      throw new RemoteIssuerException(code, method + ": cancelled", e);
    }
    throw new RemoteIssuerException(code, method + ": " + code + reason, e);
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

package jp.kofu.gateway.auth;

import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.revocation.Revocation;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires a store-terminal client certificate on every kiosk call and puts the copier's identity
 * in the call's context. TLS has already checked that the certificate chains to the terminal CA
 * ({@link TerminalTrustManager}); here it must also name a store chain, a store and a terminal,
 * and must not be revoked by the terminal CA's CRL — checked at every call, so a copier revoked
 * while connected is refused at its next call. Every refusal is logged with its reason.
 */
public final class TerminalAuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TerminalAuthInterceptor.class);

  private final TerminalTrustManager trust;
  private final Revocation revocation;

  public TerminalAuthInterceptor(TerminalTrustManager trust, Revocation revocation) {
    this.trust = trust;
    this.revocation = revocation;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    TerminalIdentity terminal;
    try {
      terminal = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION), trust, revocation);
    } catch (KofuException e) {
      log.warn("refused a kiosk call from {}: {}", call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), e.getMessage());
      var status = e.toStatusException();
      call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(io.grpc.Context.current().withValue(TerminalIdentity.CURRENT, terminal), call, headers, next);
  }

  static TerminalIdentity identify(SSLSession session, TerminalTrustManager trust, Revocation revocation) {
    if (session == null) {
      throw new KofuException(Reason.TERMINAL_UNTRUSTED, "no TLS session: copiers must connect with mutual TLS");
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new KofuException(Reason.TERMINAL_UNTRUSTED, "no client certificate: copiers must present their terminal certificate");
    }
    if (peer.length == 0 || !(peer[0] instanceof X509Certificate cert)) {
      throw new KofuException(Reason.TERMINAL_UNTRUSTED, "no client certificate");
    }
    // The names and the issuing CA are the connection's: read once per TLS session, not per call
    // (three X.500 name parses were ~6 % of a streamed document's call-thread CPU). Revocation
    // is still checked at every call.
    if (session.getValue(IDENTIFIED) instanceof Identified known && known.certificate().equals(cert)) {
      revocation.checkTerminal(cert, known.ca());
      return known.terminal();
    }
    String chain = X509.subjectAttribute(cert, BCStyle.O);
    String store = X509.subjectAttribute(cert, BCStyle.OU);
    String terminal = X509.subjectAttribute(cert, BCStyle.CN);
    if (blank(chain) || blank(store) || blank(terminal)) {
      throw new KofuException(
          Reason.TERMINAL_UNTRUSTED, "client certificate does not name a store chain (O), store (OU) and terminal (CN)");
    }
    X509Certificate ca = trust.issuerOf(cert);
    if (ca == null) {
      throw new KofuException(Reason.TERMINAL_UNTRUSTED, "client certificate is not issued by the store-terminal CA");
    }
    revocation.checkTerminal(cert, ca);
    TerminalIdentity identity = new TerminalIdentity(chain, store, terminal);
    session.putValue(IDENTIFIED, new Identified(cert, ca, identity));
    return identity;
  }

  /** The session value under which a connection's identified terminal is kept. */
  private static final String IDENTIFIED = TerminalAuthInterceptor.class.getName();

  /** A terminal certificate as identified: its names and its CA. */
  private record Identified(X509Certificate certificate, X509Certificate ca, TerminalIdentity terminal) {}

  private static boolean blank(String s) {
    return s == null || s.isBlank() || s.length() > 64;
  }
}

package jp.kofu.gateway.auth;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, during the TLS handshake, whether a copier's client certificate chains to the store
 * terminal CA and is meant for TLS client authentication; refuses the handshake otherwise and
 * logs why (the copier only sees the connection fail). Revocation is checked at each call by
 * {@link TerminalAuthInterceptor}, so that a revoked copier is told TERMINAL_REVOKED.
 */
public final class TerminalTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(TerminalTrustManager.class);

  private final List<X509Certificate> anchors;
  private final Set<TrustAnchor> trustAnchors = new HashSet<>();
  private final Clock clock;

  public TerminalTrustManager(List<X509Certificate> anchors, Clock clock) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("terminal trust: no anchor configured");
    }
    this.anchors = List.copyOf(anchors);
    for (X509Certificate a : anchors) {
      trustAnchors.add(new TrustAnchor(a, null));
    }
    this.clock = clock;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, engine == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, socket == null ? "?" : String.valueOf(socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "?");
  }

  private void check(X509Certificate[] chain, String peer) throws CertificateException {
    String why = problem(chain);
    if (why != null) {
      String subject = chain == null || chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal().getName();
      log.warn("refused a copier's TLS handshake from {}: certificate {} {}", peer, subject, why);
      throw new CertificateException("terminal certificate refused: " + why);
    }
  }

  /** Why the chain is refused, or null. */
  String problem(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return "is missing";
    }
    try {
      PKIXParameters params = new PKIXParameters(trustAnchors);
      // Revocation: per call, from the terminal CA's CRL (TerminalAuthInterceptor).
      params.setRevocationEnabled(false);
      params.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain)), params);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "does not chain to the store-terminal CA (issuer " + chain[0].getIssuerX500Principal().getName() + "): " + e.getMessage();
    }
    try {
      List<String> eku = chain[0].getExtendedKeyUsage();
      if (eku == null || !eku.contains(KeyPurposeId.id_kp_clientAuth.getId())) {
        return "is not a TLS client certificate (no clientAuth extended key usage)";
      }
    } catch (CertificateException e) {
      return "has an unreadable extended key usage";
    }
    return null;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("the gateway trusts no server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the gateway trusts no server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the gateway trusts no server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return anchors.toArray(X509Certificate[]::new);
  }

  /** The anchor that issued {@code cert}, or null. */
  X509Certificate issuerOf(X509Certificate cert) {
    for (X509Certificate a : anchors) {
      if (a.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        try {
          cert.verify(a.getPublicKey());
          return a;
        } catch (GeneralSecurityException e) {
          // same name, another key
        }
      }
    }
    return null;
  }
}

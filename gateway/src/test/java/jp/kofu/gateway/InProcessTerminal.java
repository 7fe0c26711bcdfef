package jp.kofu.gateway;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import jp.kofu.pki.HeldCertificate;

/**
 * What the kiosk listener's mutual TLS gives a call, for grpc-java's in-process transport: the
 * terminal's certificate chain as the peer of the call's TLS session. The gateway's own checks of
 * the certificate (store chain, store, terminal named; issued by the terminal CA; not revoked) run
 * on it as on a real connection; the handshake itself is what the TLS tests cover.
 */
final class InProcessTerminal extends ServerTransportFilter {
  private final SSLSession session;

  InProcessTerminal(HeldCertificate terminal) {
    this.session = new Session(terminal.chain().toArray(X509Certificate[]::new), new java.util.concurrent.ConcurrentHashMap<>());
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    return attributes.toBuilder().set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session).build();
  }

  /** A TLS session of which only the peer's certificates are known. */
  private record Session(Certificate[] peer, java.util.Map<String, Object> values) implements SSLSession {
    @Override
    public Certificate[] getPeerCertificates() {
      return peer.clone();
    }

    @Override
    public Principal getPeerPrincipal() {
      return ((X509Certificate) peer[0]).getSubjectX500Principal();
    }

    @Override
    public byte[] getId() {
      return new byte[0];
    }

    @Override
    public SSLSessionContext getSessionContext() {
      return null;
    }

    @Override
    public long getCreationTime() {
      return 0;
    }

    @Override
    public long getLastAccessedTime() {
      return 0;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public void putValue(String name, Object value) {
      // As a TLS session keeps them: the gateway keeps a connection's identified terminal here.
      values.put(name, value);
    }

    @Override
    public Object getValue(String name) {
      return values.get(name);
    }

    @Override
    public void removeValue(String name) {
      values.remove(name);
    }

    @Override
    public String[] getValueNames() {
      return values.keySet().toArray(String[]::new);
    }

    @Override
    public Certificate[] getLocalCertificates() {
      return null;
    }

    @Override
    public Principal getLocalPrincipal() {
      return null;
    }

    @Override
    public String getCipherSuite() {
      return "in-process";
    }

    @Override
    public String getProtocol() {
      return "in-process";
    }

    @Override
    public String getPeerHost() {
      return null;
    }

    @Override
    public int getPeerPort() {
      return -1;
    }

    @Override
    public int getPacketBufferSize() {
      return 0;
    }

    @Override
    public int getApplicationBufferSize() {
      return 0;
    }
  }
}

package jp.kofu.gateway.verify;

import io.netty.handler.codec.http.HttpHeaders;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which address a verification request comes from, for rate limiting. Behind a reverse proxy
 * every request arrives from the proxy: when the peer is one of the configured trusted proxies,
 * the client is the address the proxies forwarded — {@code Forwarded: for=} (RFC 7239), else
 * {@code X-Forwarded-For} — read from the right, skipping trusted proxies, so that an address a
 * client wrote into the header itself is never believed. A peer that is not a trusted proxy is
 * the client, whatever its headers say.
 */
public final class ClientAddresses {
  private final List<Cidr> trusted;

  private ClientAddresses(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** No trusted proxy: the peer is the client. */
  public static ClientAddresses direct() {
    return new ClientAddresses(List.of());
  }

  /**
   * Trusted proxies as addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code 127.0.0.1},
   * {@code fd00::/8}).
   *
   * @throws IllegalArgumentException for an entry that is neither
   */
  public static ClientAddresses trusting(List<String> proxies) {
    List<Cidr> out = new ArrayList<>();
    for (String p : proxies) {
      out.add(Cidr.parse(p));
    }
    return new ClientAddresses(out);
  }

  public boolean trusts(InetAddress a) {
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The client of a request from {@code peer} with these headers. */
  public InetAddress of(InetAddress peer, HttpHeaders headers) {
    if (!trusts(peer)) {
      return peer;
    }
    List<String> chain = forwarded(headers);
    for (int i = chain.size() - 1; i >= 0; i--) {
      InetAddress hop = literal(chain.get(i));
      if (hop == null) {
        return peer; // garbled or obfuscated ("unknown", "_hidden"): count it against the proxy
      }
      if (!trusts(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /** The forwarded-for addresses, the client first, from Forwarded or else X-Forwarded-For. */
  private static List<String> forwarded(HttpHeaders headers) {
    List<String> out = new ArrayList<>();
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          for (String pair : element.split(";")) {
            String p = pair.strip();
            if (p.regionMatches(true, 0, "for=", 0, 4)) {
              out.add(unquote(p.substring(4)));
            }
          }
        }
      }
      return out;
    }
    for (String header : headers.getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        out.add(hop.strip());
      }
    }
    return out;
  }

  /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String unquote(String v) {
    String s = v.strip();
    if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      return end < 0 ? s : s.substring(1, end);
    }
    int colon = s.indexOf(':');
    return colon >= 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s;
  }

  /** An IP literal (never a name: nothing is resolved), or null. */
  static InetAddress literal(String s) {
    String t = s.strip();
    if (t.isEmpty() || !(t.matches("[0-9.]+") || t.matches("[0-9a-fA-F:.]+") && t.contains(":"))) {
      return null;
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** An address block. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String t = text.strip();
      int slash = t.indexOf('/');
      InetAddress a = literal(slash < 0 ? t : t.substring(0, slash));
      if (a == null) {
        throw new IllegalArgumentException("'" + text + "' (expected: an IP address or CIDR block, e.g. 10.0.0.0/8)");
      }
      int bits = a.getAddress().length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' (expected: a prefix length 0.." + bits + ")");
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + text + "' (expected: a prefix length 0.." + bits + ")");
      }
      return new Cidr(a.getAddress(), prefix);
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int bits = b.length * 8;
      BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
      return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
      } catch (UnknownHostException e) {
        return "?/" + prefix;
      }
    }
  }
}

package jp.kofu.gateway.config;

import java.net.InetSocketAddress;

/** {@code host:port}, checked. */
public final class HostPort {
  private HostPort() {}

  public static InetSocketAddress parse(String field, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new ConfigException(field + ": '" + value + "' (expected: host:port)");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(field + ": '" + value + "' (expected: host:port)");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(field + ": port " + port + " (expected: 0..65535)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}

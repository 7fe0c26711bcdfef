package jp.kofu.issuer.spi;

import java.util.Objects;

/**
 * Version negotiation between the gateway (the host) and an adapter factory. A version is {@code
 * MAJOR.MINOR}: a minor version only adds (a default method, an enum value an adapter may ignore,
 * an optional setting), a major version breaks. The host accepts a factory of its own major version
 * and a minor version no newer than its own: a plugin built against SPI 1.0 runs on a gateway of SPI
 * 1.3, but a plugin built against 1.3 may call what a 1.0 gateway lacks and is refused when it is
 * loaded, not when its first resident is at a copier.
 *
 * <p>History: 1.0, the first; 1.1 adds {@link IssuerAdapter#issue(CardIssueCommand)} (one call per
 * attempt: the adapter resolves the card itself), a default method over the 1.0 pair, so adapters
 * of 1.0 load and work unchanged; 1.2 adds {@link IssuedDocument#handOver} and {@link
 * IssuedDocument#sharedPdf()} (a document's bytes handed over and read without a copy), which
 * adapters of 1.0 and 1.1 never call.
 *
 * @param major breaking changes
 * @param minor additions
 */
public record SpiVersion(int major, int minor) implements Comparable<SpiVersion> {
  /** The version this package defines. */
  public static final SpiVersion CURRENT = parse(IssuerAdapterFactory.SPI_VERSION);

  public SpiVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("SPI version " + major + "." + minor + " (expected: non-negative numbers)");
    }
  }

  /** Parses {@code MAJOR.MINOR}. */
  public static SpiVersion parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.strip().split("\\.");
    if (parts.length != 2) {
      throw new IllegalArgumentException("SPI version '" + text + "' (expected: MAJOR.MINOR, e.g. 1.0)");
    }
    try {
      return new SpiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SPI version '" + text + "' (expected: MAJOR.MINOR, e.g. 1.0)");
    }
  }

  /** Whether a host of this version can run an adapter built against {@code adapter}. */
  public boolean canHost(SpiVersion adapter) {
    return adapter.major == major && adapter.minor <= minor;
  }

  @Override
  public int compareTo(SpiVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}

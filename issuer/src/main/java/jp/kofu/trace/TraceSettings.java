package jp.kofu.trace;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What tracing an operator asked for, validated. Problems are reported as {@link
 * IllegalArgumentException}s whose message starts with the setting's own name ({@code endpoint:
 * ...}, {@code sampling-ratio: ...}), for the caller to put its prefix in front ({@code tracing.}
 * in the gateway's file, {@code --trace-} on the command line).
 *
 * @param enabled whether spans are made and exported at all; off by default
 * @param endpoint the OTLP/HTTP traces URL of a collector ({@code http://HOST:4318/v1/traces})
 * @param serviceName the resource's {@code service.name}
 * @param samplingRatio the share of new traces recorded (0..1); a call that arrives with a sampled
 *     {@code traceparent} is recorded whatever the ratio (parent-based sampling)
 * @param headers extra HTTP headers of each export request (a collector's API key)
 * @param exportTimeout how long one export request may take
 * @param instanceId the resource's {@code service.instance.id}; null: a random UUID per process
 */
public record TraceSettings(
    boolean enabled, URI endpoint, String serviceName, double samplingRatio, Map<String, String> headers, Duration exportTimeout,
    String instanceId) {

  /** Where an OpenTelemetry Collector listens for OTLP over HTTP by default. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** A bad setting: its name ({@code sampling-ratio}, {@code headers.NAME}) and what is wrong. */
  public static final class Invalid extends IllegalArgumentException {
    private final String setting;
    private final String problem;

    Invalid(String setting, String problem) {
      super(setting + ": " + problem);
      this.setting = setting;
      this.problem = problem;
    }

    public String setting() {
      return setting;
    }

    public String problem() {
      return problem;
    }
  }

  /** Tracing off. */
  public static TraceSettings off(String serviceName) {
    return new TraceSettings(false, URI.create(DEFAULT_ENDPOINT), serviceName, 1.0, Map.of(), DEFAULT_EXPORT_TIMEOUT, null);
  }

  /**
   * The settings from what was written (each null: its default), checked.
   *
   * @throws Invalid "NAME: problem (expected: ...)"
   */
  public static TraceSettings of(
      Boolean enabled, String endpoint, String serviceName, String defaultServiceName, Double samplingRatio, Map<String, String> headers,
      Duration exportTimeout, String instanceId) {
    URI url = endpoint(endpoint == null ? DEFAULT_ENDPOINT : endpoint.strip());
    String name = serviceName == null ? defaultServiceName : serviceName.strip();
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new Invalid("service-name", "'" + name + "' (expected: 1..64 of A-Z a-z 0-9 . _ -)");
    }
    double ratio = samplingRatio == null ? 1.0 : samplingRatio;
    if (!(ratio >= 0.0 && ratio <= 1.0)) {
      throw new Invalid("sampling-ratio", "" + samplingRatio + " (expected: 0..1, e.g. 0.1 records one new trace in ten)");
    }
    Map<String, String> h = new TreeMap<>();
    if (headers != null) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (!HEADER_NAME.matcher(e.getKey()).matches()) {
          throw new Invalid("headers." + e.getKey(), "not an HTTP header name (expected: letters, digits and - only)");
        }
        if (e.getValue() == null || e.getValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          throw new Invalid("headers." + e.getKey(), "empty or has control characters (expected: one line of text)");
        }
        h.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
      }
    }
    Duration timeout = exportTimeout == null ? DEFAULT_EXPORT_TIMEOUT : exportTimeout;
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new Invalid("export-timeout", timeout.toMillis() + "ms (expected: more than 0s, at most 1m)");
    }
    if (instanceId != null && !SERVICE_NAME.matcher(instanceId.strip()).matches()) {
      throw new Invalid("instance-id", "'" + instanceId + "' (expected: 1..64 of A-Z a-z 0-9 . _ -, e.g. the pod's name)");
    }
    return new TraceSettings(
        enabled != null && enabled, url, name, ratio, Map.copyOf(h), timeout, instanceId == null ? null : instanceId.strip());
  }

  private static URI endpoint(String s) {
    String expected = " (expected: the collector's OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces)";
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw new Invalid("endpoint", "'" + s + "': not a URL" + expected);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Invalid("endpoint", "'" + s + "': not http or https" + expected);
    }
    if (u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
      throw new Invalid("endpoint", "'" + s + "': " + (u.getHost() == null ? "no host" : "has a query, fragment or user") + expected);
    }
    if (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/")) {
      // The collector's base address: its traces path is the OTLP default.
      u = u.resolve("/v1/traces");
    }
    return u;
  }
}

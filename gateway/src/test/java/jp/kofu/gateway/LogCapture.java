package jp.kofu.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the JVM while it is open, at {@code level} and above for every logger: an
 * appender on the root logger, with the root and kofu levels lowered for the duration.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger kofu = (Logger) LoggerFactory.getLogger("jp.kofu");
  private final Level rootLevel = root.getLevel();
  private final Level kofuLevel = kofu.getLevel();

  /** The production encoder (cli's logback.xml uses it): what reaches a JSON log is scanned too. */
  private final net.logstash.logback.encoder.LogstashEncoder json = new net.logstash.logback.encoder.LogstashEncoder();

  private LogCapture(Level level) {
    setContext(root.getLoggerContext());
    setName("capture");
    json.setContext(root.getLoggerContext());
    json.start();
    start();
    root.addAppender(this);
    root.setLevel(level);
    kofu.setLevel(level);
  }

  static LogCapture all() {
    return new LogCapture(Level.ALL);
  }

  static LogCapture at(Level level) {
    return new LogCapture(level);
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    StringBuilder b = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" [").append(e.getThreadName()).append("] ");
    b.append(e.getFormattedMessage());
    if (!e.getMDCPropertyMap().isEmpty()) {
      b.append(' ').append(e.getMDCPropertyMap());
    }
    if (e.getKeyValuePairs() != null && !e.getKeyValuePairs().isEmpty()) {
      b.append(' ').append(e.getKeyValuePairs());
    }
    b.append("\n  json: ").append(new String(json.encode(e), java.nio.charset.StandardCharsets.UTF_8).strip());
    if (e.getThrowableProxy() != null) {
      b.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    lines.add(b.toString());
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    root.setLevel(rootLevel);
    kofu.setLevel(kofuLevel);
    stop();
  }
}

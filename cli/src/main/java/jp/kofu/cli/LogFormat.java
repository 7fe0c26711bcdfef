package jp.kofu.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches the log format (logback.xml's json or text appender) after a configuration file chose one. */
final class LogFormat {
  private LogFormat() {}

  /** Reconfigures Logback with {@code format} ("json" or "text"); null leaves it as it is. */
  static void apply(String format) {
    if (format == null || format.equals(System.getProperty("kofu.log.format"))) {
      return;
    }
    System.setProperty("kofu.log.format", format);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL config = LogFormat.class.getClassLoader().getResource("logback.xml");
    if (config == null) {
      return;
    }
    context.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(config);
    } catch (JoranException e) {
      System.err.println("kofu: cannot switch the log format to " + format + ": " + e.getMessage());
    }
  }
}

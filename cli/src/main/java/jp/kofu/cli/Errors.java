package jp.kofu.cli;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import jp.kofu.gateway.config.ConfigException;
import jp.kofu.gateway.config.Durations;
import jp.kofu.gateway.config.HostPort;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CertificateType;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command fails: one sentence on stderr, never a stack trace (unless {@code
 * KOFU_DEBUG=1}), with exit status {@link #USAGE} for a command line that cannot be run as typed
 * and {@link #FAILED} for one that ran and could not do its job. Also what a gRPC error carries
 * for machines: its ErrorInfo metadata.
 */
final class Errors {
  /** The command line is wrong: an unknown option, a missing or malformed value. */
  static final int USAGE = 2;

  /** The command ran and failed: a missing file, a bad configuration, a refusal, a negative verdict. */
  static final int FAILED = 1;

  private Errors() {}

  /** Installs the handlers and the converters of values that people type (durations, dates, certificate types). */
  static CommandLine install(CommandLine cl) {
    cl.registerConverter(Duration.class, Errors::duration);
    cl.registerConverter(LocalDate.class, Errors::date);
    cl.registerConverter(CertificateType.class, Errors::certificateType);
    cl.registerConverter(InetSocketAddress.class, Errors::address);
    cl.setParameterExceptionHandler(Errors::usage);
    cl.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command));
    return cl;
  }

  /** Reports a usage error of {@code command} the way picocli's own are reported: exit status 2. */
  static ParameterException usage(CommandLine command, String message) {
    return new ParameterException(command, message);
  }

  private static int usage(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + name + " --help' for its options.");
    err.flush();
    return USAGE;
  }

  private static int failure(Exception e, CommandLine command) {
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
    if (System.getenv("KOFU_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  /** One sentence for what went wrong, naming the file, setting or service. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return describe(u.getCause());
    }
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
    }
    if (e instanceof StatusRuntimeException s) {
      var reason = KofuException.reasonOf(s);
      return "the gateway answered " + s.getStatus().getCode() + (reason == null ? "" : " " + reason)
          + (s.getStatus().getDescription() == null ? "" : ": " + s.getStatus().getDescription());
    }
    if (e instanceof ConfigException || e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      if (e.getMessage() != null && !e.getMessage().isBlank()) {
        return e.getMessage();
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "internal error: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
        + " (KOFU_DEBUG=1 shows the stack trace)";
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' (expected: a date YYYY-MM-DD, e.g. 2026-11-26)");
    }
  }

  private static InetSocketAddress address(String text) {
    InetSocketAddress a;
    try {
      a = HostPort.parse("", text.strip());
    } catch (ConfigException e) {
      throw new TypeConversionException(e.getMessage().replaceFirst("^: ", ""));
    }
    return new InetSocketAddress(a.getHostString(), a.getPort());
  }

  private static CertificateType certificateType(String text) {
    try {
      return CertificateType.fromSlug(text.strip());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage().replaceFirst("^certificate type: ", ""));
    }
  }

  static Map<String, String> metadata(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return Map.of();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getMetadataMap();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          return Map.of();
        }
      }
    }
    return Map.of();
  }
}

package jp.kofu.testing;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * gRPC servers and channels of a test, shut down after each test (grpc-testing's
 * {@code GrpcCleanupRule} for JUnit 5): {@code @RegisterExtension final GrpcCleanup grpc = new
 * GrpcCleanup();}, then {@link #inProcess} for a service on grpc-java's in-process transport with
 * {@code directExecutor()} (no socket, no TLS, no thread hop) where sockets are not what is tested.
 * A server or channel that does not terminate fails the test.
 */
public final class GrpcCleanup implements AfterEachCallback, AutoCloseable {
  private final Deque<Object> resources = new ArrayDeque<>();

  /** Shut down after the test (channels before servers: the last registered first). */
  public synchronized <T extends ManagedChannel> T register(T channel) {
    resources.push(channel);
    return channel;
  }

  public synchronized <T extends Server> T register(T server) {
    resources.push(server);
    return server;
  }

  /** An in-process server of its own name for {@code services}. */
  public Builder server() {
    return new Builder();
  }

  /** Shortcut: {@code services} on an in-process server, and a channel to it. */
  public ManagedChannel inProcess(BindableService... services) {
    Builder b = server();
    for (BindableService s : services) {
      b.service(s.bindService());
    }
    return b.start();
  }

  /** An in-process server being built. */
  public final class Builder {
    private final String name = InProcessServerBuilder.generateName();
    private final InProcessServerBuilder server = InProcessServerBuilder.forName(name).directExecutor();

    public Builder service(ServerServiceDefinition service) {
      server.addService(service);
      return this;
    }

    public Builder intercept(ServerInterceptor interceptor) {
      server.intercept(interceptor);
      return this;
    }

    /** To give the calls transport attributes (a peer's address, a TLS session) that the in-process transport has none of. */
    public Builder transportFilter(ServerTransportFilter filter) {
      server.addTransportFilter(filter);
      return this;
    }

    /** Starts the server; a channel to it, both closed after the test. */
    public ManagedChannel start() {
      try {
        register(server.build().start());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return register(InProcessChannelBuilder.forName(name).directExecutor().build());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Shuts down every server and channel registered so far; fails if one does not terminate. */
  @Override
  public void close() {
    List<Object> all;
    synchronized (this) {
      all = new ArrayList<>(resources);
      resources.clear();
    }
    List<String> stuck = new ArrayList<>();
    try {
      awaitAll(all, stuck);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while shutting down gRPC servers and channels", e);
    }
    if (!stuck.isEmpty()) {
      throw new AssertionError("did not terminate within 10 s of the test (expected: every call finished): " + stuck);
    }
  }

  private static void awaitAll(List<Object> all, List<String> stuck) throws InterruptedException {
    for (Object r : all) {
      if (r instanceof ManagedChannel c) {
        c.shutdown();
        if (!c.awaitTermination(10, TimeUnit.SECONDS)) {
          c.shutdownNow();
          stuck.add("channel " + c);
        }
      } else if (r instanceof Server s) {
        s.shutdown();
        if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
          s.shutdownNow();
          stuck.add("server " + s);
        }
      }
    }
  }
}

package jp.kofu.bench;

import com.google.protobuf.ByteString;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;

/**
 * The simulated copiers of {@link Figures}, in a JVM of their own so that the server's process CPU
 * and allocation are the server's alone. Started by {@link Figures}; reads commands on stdin and
 * answers one line each on stdout:
 *
 * <ul>
 *   <li>{@code issue N}: N whole issuances (open, card, authenticate, offerings, issue, the copier's
 *       check, confirm, close) spread over the copiers; answers {@code ok N};
 *   <li>{@code stream HOST:PORT TERMINAL TOKEN ORDER MUNICIPALITY N}: N streams of that (already
 *       issued) order, as that terminal, one after another; answers {@code ok N};
 *   <li>{@code quit}.
 * </ul>
 *
 * Arguments: gateway host:port, pki directory, wallet directory, the world's clock (an instant),
 * the terminal names (comma-separated, certificates already issued), the holders' resident ids.
 */
public final class CopierProcess {
  private CopierProcess() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress gateway = address(args[0]);
    TrustWorld pki = TrustWorld.openOrCreate(Path.of(args[1]), Clock.fixed(Instant.parse(args[3]), ZoneOffset.UTC));
    CardWallet wallet = CardWallet.open(Path.of(args[2]), pki);
    String[] terminals = args[4].split(",");
    String[] residents = args[5].split(",");
    List<Copier> copiers = new ArrayList<>();
    List<CardWallet.Entry> entries = new ArrayList<>();
    List<SimulatedCard> cards = new ArrayList<>();
    for (int i = 0; i < terminals.length; i++) {
      copiers.add(Copier.forWorld(gateway, pki, "bench", "store-1", terminals[i]));
      CardWallet.Entry e = wallet.entry(Long.parseLong(residents[i % residents.length])).orElseThrow();
      entries.add(e);
      cards.add(wallet.card(e.residentId()));
    }
    Map<String, Copier> streamers = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(copiers.size());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "issue" -> {
            int n = Integer.parseInt(w[1]);
            AtomicInteger left = new AtomicInteger(n);
            AtomicInteger failed = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < copiers.size(); i++) {
              int c = i;
              running.add(
                  pool.submit(
                      () -> {
                        while (left.getAndDecrement() > 0) {
                          CardWallet.Entry e = entries.get(c);
                          try {
                            copiers.get(c).issueOnce(cards.get(c), e.pin(), e.municipalityCode(), BenchWorld.RESIDENCE);
                          } catch (io.grpc.StatusRuntimeException ex) {
                            // A transient failure on a busy machine: do it again, and say so.
                            if (failed.incrementAndGet() > Math.max(10, n / 20)) {
                              throw ex;
                            }
                            left.incrementAndGet();
                            System.err.println("copiers: retrying an issuance after " + ex.getStatus().getCode());
                          }
                        }
                        return null;
                      }));
            }
            for (Future<?> f : running) {
              f.get();
            }
            System.out.println("ok " + n + " retried " + failed.get());
          }
          case "stream" -> {
            Copier to = streamers.computeIfAbsent(w[1] + " " + w[2], a -> new Copier(address(w[1]), pki.terminal("bench", "store-1", w[2]),
                pki.serviceCa().certificate(), List.of(pki.municipalCa().certificate())));
            ByteString token = ByteString.copyFrom(Base64.getDecoder().decode(w[3]));
            int n = Integer.parseInt(w[6]);
            for (int i = 0; i < n; i++) {
              to.issue(token, w[4], w[5], BenchWorld.RESIDENCE);
            }
            System.out.println("ok " + n);
          }
          case "quit" -> {
            pool.shutdownNow();
            copiers.forEach(Copier::close);
            streamers.values().forEach(Copier::close);
            System.out.println("ok 0");
            return;
          }
          default -> System.out.println("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        System.out.println("error " + cause.toString().replace('\n', ' '));
      }
      System.out.flush();
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}

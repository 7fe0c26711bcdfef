package jp.kofu.gateway.auth;

import io.grpc.Context;
import java.util.Objects;

/**
 * A store copier, as its client certificate names it: store chain (O), store (OU) and terminal
 * (CN).
 */
public record TerminalIdentity(String storeChain, String store, String terminal) {
  /** The identity of the copier making the current call, set by {@link TerminalAuthInterceptor}. */
  public static final Context.Key<TerminalIdentity> CURRENT = Context.key("kofu-terminal");

  public TerminalIdentity {
    Objects.requireNonNull(storeChain, "storeChain");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(terminal, "terminal");
  }

  /** One string naming the terminal: chain/store/terminal. */
  public String id() {
    return storeChain + "/" + store + "/" + terminal;
  }

  @Override
  public String toString() {
    return id();
  }
}

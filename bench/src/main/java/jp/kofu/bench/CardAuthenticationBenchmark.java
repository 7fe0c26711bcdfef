package jp.kofu.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.auth.CardAuthenticator;
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.auth.Challenges;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.gateway.auth.VerifiedCard;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.card.SimulatedCard;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's card check: open the challenge (MAC, terminal, expiry), then parse the card
 * certificate, check its issuer's signature, validity, usage and policy, and verify the card's
 * signature over the challenge. Two RSA verifications; no network, no journal.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CardAuthenticationBenchmark {
  private Challenges challenges;
  private CardAuthenticator authenticator;
  private TerminalIdentity terminal;
  private byte[] challenge;
  private byte[] certificate;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    TrustWorld world = TrustWorld.generate();
    Clock clock = Clock.systemUTC();
    challenges = new Challenges(new Hmac(new byte[32], "challenge"), clock, Duration.ofHours(1));
    authenticator =
        new CardAuthenticator(
            CardTrust.of(List.of(world.cardRoot().certificate()), List.of(world.cardCa().certificate()), List.of(world.smartphoneCa().certificate())),
            clock);
    terminal = new TerminalIdentity("seven", "store-1", "copier-1");
    SimulatedCard card = new SimulatedCard(world.newCard(), "1234", false);
    challenge = challenges.issue(terminal).challenge();
    certificate = card.certificateDer();
    signature = card.sign("1234", challenge);
  }

  @Benchmark
  public VerifiedCard authenticate() {
    challenges.open(challenge, terminal);
    return authenticator.authenticate(certificate, challenge, signature, CardRef.CredentialKind.CARD);
  }
}

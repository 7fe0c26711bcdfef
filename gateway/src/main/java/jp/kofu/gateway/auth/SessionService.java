package jp.kofu.gateway.auth;

import java.time.Clock;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.revocation.Revocation;
import jp.kofu.gateway.routing.CardDirectory;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.proto.type.v1.Reason;

/** Opens, authenticates, checks and closes sessions. Thread-safe. */
public final class SessionService {
  private final Challenges challenges;
  private final CardAuthenticator cards;
  private final SessionTokens tokens;
  private final AuthStore store;
  private final CardDirectory directory;
  private final Clock clock;
  private final Revocation revocation;
  private final CardLockout lockout;

  public SessionService(
      Challenges challenges,
      CardAuthenticator cards,
      SessionTokens tokens,
      AuthStore store,
      CardDirectory directory,
      Clock clock,
      Revocation revocation,
      CardLockout lockout) {
    this.challenges = challenges;
    this.cards = cards;
    this.tokens = tokens;
    this.store = store;
    this.directory = directory;
    this.clock = clock;
    this.revocation = revocation;
    this.lockout = lockout;
  }

  public Challenges.Issued open(TerminalIdentity terminal) {
    return challenges.issue(terminal);
  }

  /** A new session: its token and claims. */
  public record Authenticated(byte[] token, SessionClaims claims) {}

  /**
   * The challenge is checked (origin, terminal, expiry), then spent — once, on any gateway, whatever
   * the outcome — and only then is the card checked: its certificate, its lockout, its signature
   * (a failure counts towards the lockout), and last its revocation, so that garbage never costs an
   * OCSP request.
   */
  public Authenticated authenticate(
      TerminalIdentity terminal, byte[] challenge, byte[] certificate, byte[] signature, CardRef.CredentialKind kind) {
    Challenges.Opened opened = challenges.open(challenge, terminal);
    if (!store.spendChallenge(opened.challengeId(), opened.expiresAt())) {
      throw new KofuException(Reason.CHALLENGE_REUSED, "challenge was already used");
    }
    CardAuthenticator.Presented presented = cards.inspect(certificate, signature, kind);
    boolean failuresRecorded = lockout.checkNotLocked(presented.ref());
    VerifiedCard card;
    try {
      card = cards.verifySignature(presented, challenge);
    } catch (KofuException e) {
      lockout.failed(presented.ref(), terminal);
      throw e;
    }
    revocation.checkCard(card.certificate(), card.issuer());
    lockout.succeeded(card.ref(), failuresRecorded);
    String municipality =
        directory.addressMunicipality(card.ref(), clock.instant())
            .orElseThrow(() -> new KofuException(Reason.CARD_NOT_REGISTERED, "no municipality knows this card yet"));
    SessionClaims claims = tokens.newSession(terminal, card.ref(), municipality);
    return new Authenticated(tokens.encode(claims), claims);
  }

  /** The claims of a live session of this terminal. */
  public SessionClaims session(TerminalIdentity terminal, byte[] token) {
    SessionClaims claims = tokens.open(token, terminal);
    if (store.isSessionClosed(claims.sessionId())) {
      throw new KofuException(Reason.SESSION_CLOSED, "session was closed");
    }
    return claims;
  }

  /**
   * Closes a live session of this terminal (CloseSession): the token checked as by {@link
   * #session}, and a session closed before refused SESSION_CLOSED, by the closing insert itself
   * (the closed-session row's key) instead of a read before it: one statement, not two.
   */
  public void close(TerminalIdentity terminal, byte[] token) {
    SessionClaims claims = tokens.open(token, terminal);
    if (!store.closeSession(claims.sessionId(), claims.expiresAt())) {
      throw new KofuException(Reason.SESSION_CLOSED, "session was closed");
    }
  }
}

package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.CloseSessionRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest.DeliveryOutcome;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.ListOfferingsRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw request bytes — random, and valid requests mutated (bits flipped, bytes cut, inserted,
 * repeated) — sent to every kiosk method over a real mTLS socket. Every answer must be a success
 * or a refusal with a kofu reason; never UNKNOWN or INTERNAL, never a dropped connection; and the
 * gateway must serve a normal authentication afterwards. The seed is fixed so that a failure can
 * be replayed; {@code -Dkofu.fuzz.seed=N} and {@code -Dkofu.fuzz.rounds=N} explore further.
 */
class RawRequestFuzzTest {
  static final long SEED = Long.getLong("kofu.fuzz.seed", 20230327L);
  static final int ROUNDS = Integer.getInteger("kofu.fuzz.rounds", 40);

  @RegisterExtension static final GatewayBench bench = new GatewayBench();
  static Gateway gateway;
  static Copier copier;
  static SimulatedCard card;

  @BeforeAll
  static void start() {
    gateway = bench.start(b -> b.terminalRateLimit(100_000, java.time.Duration.ofMinutes(1)));
    copier = bench.copier(gateway, "fuzzer");
    card = bench.card();
  }

  @Test
  void everyRawRequestGetsAWellFormedAnswerAndTheGatewayKeepsServing() throws Exception {
    Random random = new Random(SEED);
    Channel channel = copier.stub().getChannel();
    Map<Reason, Integer> seen = new EnumMap<>(Reason.class);
    int ok = 0;
    int sent = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Map<String, byte[]> valid = validRequests();
      for (Map.Entry<String, byte[]> method : valid.entrySet()) {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(randomBytes(random, random.nextInt(300)));
        inputs.add(mutate(random, method.getValue()));
        inputs.add(mutate(random, mutate(random, method.getValue())));
        for (byte[] input : inputs) {
          sent++;
          StatusRuntimeException e = RawCalls.call(channel, method.getKey(), input);
          if (e == null) {
            ok++;
            continue;
          }
          Reason reason = KofuException.reasonOf(e);
          String what = method.getKey() + " with " + java.util.HexFormat.of().formatHex(input) + " (seed " + SEED + ")";
          assertThat(e.getStatus().getCode()).as(what + ": " + e.getStatus()).isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL, Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
          assertThat(reason).as(what + ": " + e.getStatus()).isNotNull();
          seen.merge(reason, 1, Integer::sum);
        }
      }
    }

    assertThat(copier.authenticate(copier.openSession(), card, "1234").getSessionToken().isEmpty()).isFalse();
    assertThat(sent).isEqualTo(ROUNDS * 6 * 3);
    // The mutations reach past decoding into the services' own checks.
    assertThat(seen.keySet()).contains(Reason.MESSAGE_MALFORMED, Reason.FIELD_UNKNOWN, Reason.SESSION_INVALID, Reason.CHALLENGE_INVALID);
    System.out.printf("fuzz: %d requests, %d accepted, refusals %s%n", sent, ok, seen);
  }

  /** A valid request of every method, with a fresh challenge and session. */
  static Map<String, byte[]> validRequests() throws SimulatedCard.PinException {
    OpenSessionResponse s = copier.openSession();
    AuthenticateRequest auth =
        AuthenticateRequest.newBuilder()
            .setChallenge(s.getChallenge())
            .setCardCertificate(ByteString.copyFrom(card.certificateDer()))
            .setSignature(ByteString.copyFrom(card.sign("1234", s.getChallenge().toByteArray())))
            .setCredentialKind(CredentialKind.CREDENTIAL_KIND_CARD)
            .build();
    ByteString token = copier.authenticate(copier.openSession(), card, "1234").getSessionToken();
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    m.put("OpenSession", OpenSessionRequest.newBuilder().setTerminalSoftware("kofu-sim/0.1").build().toByteArray());
    m.put("Authenticate", auth.toByteArray());
    m.put("ListOfferings", ListOfferingsRequest.newBuilder().setSessionToken(token).build().toByteArray());
    m.put(
        "Issue",
        IssueRequest.newBuilder()
            .setSessionToken(token)
            .setOrderId(UUID.randomUUID().toString())
            .setMunicipalityCode(GatewayBench.MUNICIPALITY)
            .setCertificate(
                CertificateRequest.newBuilder()
                    .setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE)
                    .addOptions(CertificateOption.CERTIFICATE_OPTION_HEAD_OF_HOUSEHOLD)
                    .setScope(HouseholdScope.HOUSEHOLD_SCOPE_SELECTED_MEMBERS)
                    .addMemberHandles("m1")
                    .setCopies(2))
            .build()
            .toByteArray());
    m.put(
        "ConfirmDelivery",
        ConfirmDeliveryRequest.newBuilder()
            .setSessionToken(token)
            .setIssuanceId("01HZZZZZZZZZZZZZZZZZZZZZZZ")
            .setOutcome(DeliveryOutcome.DELIVERY_OUTCOME_PRINTED)
            .build()
            .toByteArray());
    m.put("CloseSession", CloseSessionRequest.newBuilder().setSessionToken(token).build().toByteArray());
    return m;
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static byte[] mutate(Random r, byte[] in) {
    if (in.length == 0) {
      return randomBytes(r, 1 + r.nextInt(8));
    }
    byte[] b = in.clone();
    switch (r.nextInt(5)) {
      case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 2 -> {
        int at = r.nextInt(b.length + 1);
        byte[] extra = randomBytes(r, 1 + r.nextInt(6));
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        b = out;
      }
      case 3 -> {
        byte[] out = java.util.Arrays.copyOf(b, b.length * 2);
        System.arraycopy(b, 0, out, b.length, b.length);
        b = out;
      }
      default -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return b;
  }
}

package jp.kofu.gateway.issuance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.issuer.spi.Offering;

/**
 * The household-member handles a copier sees: a keyed hash of the session, the municipality and
 * the municipality's own handle for the person, so the same person has another handle in every
 * session and the copier never holds a per-person identifier it could link across visits. A
 * handle is valid only in the session that listed it: Issue maps it back by listing the
 * household again and hashing each member's handle with the session it runs in, so a handle from
 * an earlier session of the same card matches nobody. Stateless, like the session tokens: any
 * gateway of a cluster maps a handle another gateway listed. Thread-safe.
 */
final class MemberHandles {
  /** 16 bytes of the MAC, base64url without padding: 22 characters of [A-Za-z0-9_-]. */
  private static final int BYTES = 16;

  private final Hmac key;

  MemberHandles(Hmac key) {
    this.key = key;
  }

  String forSession(String sessionId, String municipalityCode, String municipalHandle) {
    byte[] mac =
        key.mac(
            sessionId.getBytes(StandardCharsets.UTF_8), new byte[] {0},
            municipalityCode.getBytes(StandardCharsets.US_ASCII), new byte[] {0},
            municipalHandle.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, BYTES));
  }

  /** The offerings as this session shows them: each member under its session handle. */
  List<Offering> forSession(String sessionId, String municipalityCode, List<Offering> offerings) {
    List<Offering> out = new ArrayList<>(offerings.size());
    for (Offering o : offerings) {
      List<Offering.HouseholdMember> members = new ArrayList<>(o.householdMembers().size());
      for (Offering.HouseholdMember m : o.householdMembers()) {
        members.add(new Offering.HouseholdMember(forSession(sessionId, municipalityCode, m.memberHandle()), m.displayName(), m.cardHolder()));
      }
      out.add(new Offering(o.type(), o.options(), o.feeYen(), o.maxCopies(), o.unavailableReason(), members, o.nextOpen()));
    }
    return out;
  }
}

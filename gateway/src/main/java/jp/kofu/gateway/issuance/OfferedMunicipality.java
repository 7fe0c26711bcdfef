package jp.kofu.gateway.issuance;

import java.util.List;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.proto.type.v1.Reason;

/**
 * What one municipality offers the card holder now; {@code unavailable} set (and no offerings)
 * when the municipality cannot be asked or the holder is not registered there.
 */
public record OfferedMunicipality(
    String code, String name, Relation relation, List<Offering> offerings, Reason unavailable) {}

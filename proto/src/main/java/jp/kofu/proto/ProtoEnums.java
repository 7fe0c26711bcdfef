package jp.kofu.proto;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.ProtocolMessageEnum;

/**
 * The contract's enum values carry their enum's prefix ({@code CERTIFICATE_TYPE_RESIDENCE}), as
 * buf's STANDARD lint asks, while the domain's Java enums and the journal's stored names do not
 * ({@code RESIDENCE}). This maps between the two by name, so neither side keeps a table.
 */
public final class ProtoEnums {
  private ProtoEnums() {}

  /** The prefix of an enum's values: its zero value's name without {@code UNSPECIFIED}. */
  public static String prefix(EnumDescriptor type) {
    String zero = type.findValueByNumber(0).getName();
    if (!zero.endsWith("_UNSPECIFIED")) {
      throw new IllegalArgumentException(type.getFullName() + ": zero value " + zero + " is not *_UNSPECIFIED");
    }
    return zero.substring(0, zero.length() - "UNSPECIFIED".length());
  }

  /** The contract's value named {@code prefix + name}, e.g. RESIDENCE → CERTIFICATE_TYPE_RESIDENCE. */
  public static <P extends Enum<P> & ProtocolMessageEnum> P toProto(Class<P> type, String name) {
    P any = type.getEnumConstants()[0];
    EnumDescriptor d = any.getDescriptorForType();
    EnumValueDescriptor v = d.findValueByName(prefix(d) + name);
    if (v == null) {
      throw new IllegalArgumentException(d.getFullName() + " has no value for " + name);
    }
    return Enum.valueOf(type, v.getName());
  }

  /** The contract's value for a domain enum of the same unprefixed names. */
  public static <P extends Enum<P> & ProtocolMessageEnum> P toProto(Class<P> type, Enum<?> domain) {
    return toProto(type, domain.name());
  }

  /** A value's name without its enum's prefix, e.g. CERTIFICATE_TYPE_RESIDENCE → RESIDENCE. */
  public static String unprefixed(ProtocolMessageEnum value) {
    String name = value.getValueDescriptor().getName();
    String prefix = prefix(value.getDescriptorForType());
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** The domain enum's value for a contract value, e.g. CERTIFICATE_TYPE_RESIDENCE → RESIDENCE. */
  public static <D extends Enum<D>> D toDomain(Class<D> type, ProtocolMessageEnum value) {
    return Enum.valueOf(type, unprefixed(value));
  }
}

package jp.kofu.issuer.registry;

/**
 * A household (世帯).
 *
 * @param address below the municipality, as printed: 丸の内一丁目1番1号
 */
public record Household(long id, String municipalityCode, String postalCode, String address) {}

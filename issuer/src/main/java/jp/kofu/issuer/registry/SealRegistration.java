package jp.kofu.issuer.registry;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A seal registration (印鑑登録): the registered impression of one resident. A cancelled
 * registration (廃止) stays recorded and must never be certified.
 *
 * @param registrationNumber 登録番号, unique within the municipality
 * @param cancelledOn the day it was cancelled, or null
 * @param impressionPng the registered impression (印影), PNG
 * @param impressionSizeMm its true size, 8..25 mm
 */
public record SealRegistration(
    String municipalityCode,
    String registrationNumber,
    long residentId,
    LocalDate registeredOn,
    LocalDate cancelledOn,
    byte[] impressionPng,
    double impressionSizeMm) {
  public SealRegistration {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(registrationNumber, "registrationNumber");
    Objects.requireNonNull(registeredOn, "registeredOn");
    impressionPng = impressionPng.clone();
  }

  @Override
  public byte[] impressionPng() {
    return impressionPng.clone();
  }

  /** Registered by {@code day} and not cancelled on or before it. */
  public boolean activeOn(LocalDate day) {
    return activeOn(registeredOn, cancelledOn, day);
  }

  /** {@link #activeOn(LocalDate)} of a registration with these dates. */
  public static boolean activeOn(LocalDate registeredOn, LocalDate cancelledOn, LocalDate day) {
    return !registeredOn.isAfter(day) && (cancelledOn == null || cancelledOn.isAfter(day));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealRegistration s
        && municipalityCode.equals(s.municipalityCode)
        && registrationNumber.equals(s.registrationNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(municipalityCode, registrationNumber);
  }

  @Override
  public String toString() {
    return "SealRegistration[municipality=" + municipalityCode + ", cancelled=" + (cancelledOn != null) + "]";
  }
}

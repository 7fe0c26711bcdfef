package jp.kofu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import jp.kofu.pki.X509;

/** Writes documents and the manifest that lists them. */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final ArrayNode documents = JSON.createArrayNode();
  private final ArrayNode refusals = JSON.createArrayNode();

  Output(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a PDF and records it; returns its path. */
  Path document(String fileName, byte[] pdf, String municipalityCode, String certificateType, String cardSerial, long residentId, String issuanceId) {
    return document(fileName, pdf, municipalityCode, certificateType, cardSerial, residentId, issuanceId, null);
  }

  /** The same, with the document's public verification code. */
  Path document(
      String fileName, byte[] pdf, String municipalityCode, String certificateType, String cardSerial, long residentId,
      String issuanceId, String verificationCode) {
    Path file = dir.resolve(fileName);
    try {
      Files.write(file, pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode entry = documents.addObject();
    entry.put("file", fileName);
    entry.put("municipality_code", municipalityCode);
    entry.put("certificate_type", certificateType);
    entry.put("card_serial", cardSerial);
    entry.put("resident_id", residentId);
    entry.put("issuance_id", issuanceId);
    entry.put("sha256", HexFormat.of().formatHex(X509.sha256(pdf)));
    if (verificationCode != null && !verificationCode.isEmpty()) {
      entry.put("verification_code", verificationCode);
    }
    return file;
  }

  void refusal(String municipalityCode, String certificateType, String cardSerial, long residentId, String reason) {
    refusal(municipalityCode, certificateType, cardSerial, residentId, reason, null, null, java.util.Map.of());
  }

  /**
   * A refused request: {@code reason} as the copier was told, {@code journalReason} the true one
   * the journal keeps (they differ for a support measure), the specimen's {@code note}, and the
   * error's machine-readable metadata (e.g. next_open).
   */
  void refusal(
      String municipalityCode, String certificateType, String cardSerial, long residentId, String reason, String journalReason,
      String note, java.util.Map<String, String> metadata) {
    ObjectNode entry = refusals.addObject();
    entry.put("municipality_code", municipalityCode);
    entry.put("certificate_type", certificateType);
    entry.put("card_serial", cardSerial);
    entry.put("resident_id", residentId);
    entry.put("reason", reason);
    if (journalReason != null) {
      entry.put("journal_reason", journalReason);
    }
    if (note != null) {
      entry.put("case", note);
    }
    if (!metadata.isEmpty()) {
      ObjectNode meta = entry.putObject("metadata");
      new java.util.TreeMap<>(metadata).forEach(meta::put);
    }
  }

  Path writeManifest() {
    ObjectNode root = JSON.createObjectNode();
    root.set("documents", documents);
    root.set("refused", refusals);
    Path file = dir.resolve("manifest.json");
    try {
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}

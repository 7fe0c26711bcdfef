package org.example.kofu.csvregistry;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.spi.document.CertificateDocuments;
import jp.kofu.issuer.spi.document.DocumentSigner;
import jp.kofu.issuer.spi.document.IssuingMunicipality;

/**
 * Kind {@value #KIND}. One setting, {@code directory}, holding:
 *
 * <ul>
 *   <li>{@code municipality.properties}: {@code code}, {@code prefecture}, {@code name}, {@code
 *       mayor-title}, {@code mayor-name}, {@code fee-yen}, {@code max-copies};
 *   <li>{@code residents.csv}: the registry export, one resident per line (see {@link ResidentRow});
 *   <li>{@code signer/cert.pem} and {@code signer/key.pem}: the municipality's document-signing
 *       certificate (with its chain) and key, issued by the municipal signing CA the gateway trusts.
 * </ul>
 *
 * <p>Reports the SPI it is compiled against (the default {@link #spiVersion()}, now 1.2); it needs
 * 1.1 at least, for the document facade, which a host of 1.0 would lack, and such a host refuses
 * it when it loads.
 */
public final class CsvRegistryAdapterFactory implements IssuerAdapterFactory {
  public static final String KIND = "csv-registry";

  /** A public no-argument constructor, cheap: ServiceLoader makes one whether it is used or not. */
  public CsvRegistryAdapterFactory() {}

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IssuerAdapter create(AdapterContext context) {
    Path dir = Path.of(context.require("directory"));
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("municipality.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("adapter setting 'directory': no readable municipality.properties in " + dir);
    }
    IssuingMunicipality municipality =
        new IssuingMunicipality(
            required(p, "code"), required(p, "prefecture"), required(p, "name"), required(p, "mayor-title"), required(p, "mayor-name"));
    int fee = Integer.parseInt(p.getProperty("fee-yen", "200"));
    int maxCopies = Integer.parseInt(p.getProperty("max-copies", "5"));
    Path residents = dir.resolve("residents.csv");
    if (!Files.isReadable(residents)) {
      throw new IllegalArgumentException("adapter setting 'directory': no readable residents.csv in " + dir);
    }
    // Layout and signing are kofu's, behind the public facade the gateway hosts.
    CertificateDocuments documents = context.documents();
    DocumentSigner signer;
    try {
      signer = documents.signer(dir.resolve("signer"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("adapter setting 'directory': signer/cert.pem and signer/key.pem unreadable in " + dir);
    }
    return new CsvRegistryAdapter(municipality, fee, maxCopies, residents, documents, signer);
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("municipality.properties: '" + key + "' is missing");
    }
    return v.strip();
  }
}

package org.example.kofu.csvregistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;

/**
 * What a test needs to run the plugin as the gateway runs it: the plugin's compiled classes packed
 * into a jar in a plugins directory (they are kept off the test class path), and a municipality's
 * files — its properties, its registry export and its signing key.
 */
final class PluginDirectory {
  /** 札幌市: a code no embedded municipality of the tests uses. */
  static final String CODE = "011002";

  private PluginDirectory() {}

  /** {@code plugins/kofu-issuer-plugin-example.jar}, built from the module's compiled classes. */
  static Path pluginsWithTheExampleJar(Path root) {
    Path classes = Path.of(System.getProperty("plugin.classes", "target/classes"));
    Path plugins = root.resolve("plugins");
    try {
      Files.createDirectories(plugins);
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("kofu-issuer-plugin-example.jar")), manifest);
          Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, jar);
          jar.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return plugins;
  }

  /** The municipality's files, with residents whose cards the trust world {@code pki} can make. */
  record Municipality(Path directory, List<IssuerAdapterContractTest.Holder> holders, IssuerAdapterContractTest.Refused refused, List<X509Certificate> anchors) {}

  static Municipality write(Path dir, TrustWorld pki) {
    String keyId = X509.keyId(pki.cardCa().certificate());
    String[][] people = {
      {"佐藤", "花子", "サトウ", "ハナコ", "1980-04-02", "F", "ACTIVE"},
      {"鈴木", "一郎", "スズキ", "イチロウ", "1975-11-20", "M", "ACTIVE"},
      {"高橋", "美咲", "タカハシ", "ミサキ", "1992-07-15", "F", "ACTIVE"},
      {"田中", "健太", "タナカ", "ケンタ", "1968-01-30", "M", "ACTIVE"},
      {"伊藤", "直樹", "イトウ", "ナオキ", "1950-09-09", "M", "DECEASED"},
    };
    List<IssuerAdapterContractTest.Holder> holders = new ArrayList<>();
    IssuerAdapterContractTest.Refused refused = null;
    StringBuilder csv =
        new StringBuilder(
            "card_issuer_key_id,card_serial,handle,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,address,became_resident_on,address_since,status\n");
    StringBuilder feed = new StringBuilder("issuer_key_id,serial,municipality_code,usable_from\n");
    for (int i = 0; i < people.length; i++) {
      String[] p = people[i];
      String serial = X509.serialHex(pki.newCard().certificate());
      String handle = "h" + UUID.randomUUID().toString().replace("-", "");
      csv.append(String.join(",", keyId, serial, handle, p[0], p[1], p[2], p[3], p[4], p[5], "中央区北一条西" + (i + 2) + "丁目" + (i + 1) + "番地", "2001-04-01", "2015-06-01", p[6])).append('\n');
      feed.append(keyId).append(',').append(serial).append(',').append(CODE).append(',').append(LocalDate.of(2020, 1, 1)).append('\n');
      CardRef card = new CardRef(serial, keyId, CardRef.CredentialKind.CARD);
      if (p[6].equals("ACTIVE")) {
        holders.add(new IssuerAdapterContractTest.Holder(card, p[0] + "　" + p[1]));
      } else {
        refused = new IssuerAdapterContractTest.Refused(card, RefusalReason.DECEASED);
      }
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("municipality.properties"),
          "code=" + CODE + "\nprefecture=北海道\nname=札幌市\nmayor-title=札幌市長\nmayor-name=北野　一\nfee-yen=150\nmax-copies=5\n",
          StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("residents.csv"), csv, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("card-directory.csv"), feed, StandardCharsets.UTF_8);
      pki.municipalSigner(CODE, "北海道札幌市").writeTo(dir.resolve("signer"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Municipality(dir, holders, refused, List.of(pki.municipalCa().certificate()));
  }

}

package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.kofu.pki.Pem;
import jp.kofu.pki.X509;
import org.junit.jupiter.api.Test;

/**
 * The binding as docs/BINDING.md specifies it: the vectors in proto/testdata/binding-vectors.json
 * (computed by a Python script, independently of this code) are what {@link DocumentBinding}
 * computes, and what it refuses is refused.
 */
class DocumentBindingVectorsTest {
  static final JsonNode FILE = read();

  static JsonNode read() {
    try {
      return new ObjectMapper().readTree(Path.of("..", "proto", "testdata", "binding-vectors.json").toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyVectorsPreimageAndBindingAreWhatKofuComputes() {
    assertThat(FILE.get("version").asText()).isEqualTo(DocumentBinding.VERSION);
    assertThat(FILE.get("vectors")).hasSizeGreaterThanOrEqualTo(5);
    for (JsonNode v : FILE.get("vectors")) {
      String[] f = fields(v);
      assertThat(HexFormat.of().formatHex(DocumentBinding.preimage(f[0], f[1], f[2], f[3], f[4])))
          .as(v.get("name").asText())
          .isEqualTo(v.get("preimage_hex").asText());
      assertThat(HexFormat.of().formatHex(DocumentBinding.compute(f[0], f[1], f[2], f[3], f[4])))
          .as(v.get("name").asText())
          .isEqualTo(v.get("binding_hex").asText());
    }
  }

  @Test
  void theCardFieldsComeFromTheCertificatesAsTheSpecSays() {
    int checked = 0;
    for (JsonNode v : FILE.get("vectors")) {
      if (!v.has("card_certificate_pem")) {
        continue;
      }
      X509Certificate issuer = Pem.certificates(v.get("issuer_certificate_pem").asText()).get(0);
      X509Certificate card = Pem.certificates(v.get("card_certificate_pem").asText()).get(0);
      // What the gateway uses (CardTrust, CardAuthenticator) for the card it authenticated.
      assertThat(X509.keyId(issuer)).isEqualTo(v.get("card_issuer_key_id").asText());
      assertThat(X509.serialHex(card)).isEqualTo(v.get("card_serial").asText());
      // The trap the vector is made for: the serial's DER encoding starts with a 00 byte.
      assertThat(card.getSerialNumber().toByteArray()[0]).isZero();
      checked++;
    }
    assertThat(checked).isEqualTo(1);
  }

  @Test
  void whatTheSpecRefusesIsRefused() {
    assertThat(FILE.get("refused")).isNotEmpty();
    JsonNode base = FILE.get("vectors").get(0);
    for (JsonNode r : FILE.get("refused")) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String name : new String[] {"card_issuer_key_id", "card_serial", "order_id", "issuance_id", "municipality_code"}) {
        f.put(name, base.get(name).asText());
      }
      assertThat(f).containsKey(r.get("field").asText());
      f.put(r.get("field").asText(), r.get("value").asText());
      String[] v = f.values().toArray(String[]::new);
      assertThatThrownBy(() -> DocumentBinding.compute(v[0], v[1], v[2], v[3], v[4]))
          .as(r.get("name").asText())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Bindings journaled by earlier versions (DataOutputStream.writeUTF framing) keep their value. */
  @Test
  void theFramingIsTheOneEarlierVersionsWrote() throws IOException {
    for (JsonNode v : FILE.get("vectors")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeUTF(DocumentBinding.VERSION);
        for (String s : fields(v)) {
          out.writeUTF(s);
        }
      }
      assertThat(HexFormat.of().formatHex(bytes.toByteArray())).isEqualTo(v.get("preimage_hex").asText());
    }
  }

  static String[] fields(JsonNode v) {
    return new String[] {
      v.get("card_issuer_key_id").asText(), v.get("card_serial").asText(), v.get("order_id").asText(),
      v.get("issuance_id").asText(), v.get("municipality_code").asText()
    };
  }
}

package jp.kofu.issuer.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import jp.kofu.issuer.document.MunicipalityIdentity;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;

/**
 * All municipality files of a directory, one {@code CODE.yaml} per municipality:
 *
 * <pre>
 * code: "131016"            # must match the file name and the code table
 * mayor:
 *   title: 千代田区長
 *   name: 山田 太郎
 * certificates:
 *   RESIDENCE:              # a CertificateType name
 *     fee: 200              # yen per copy, 0..10000
 *     max-copies: 10        # 1..20
 *     options: [HEAD_OF_HOUSEHOLD, DOMICILE]
 * hours:                    # optional; these are the national defaults
 *   open: "06:30"           # Japan time, HH:MM
 *   close: "23:00"
 *   family-register-office-hours-only: false   # true: 戸籍 and 附票 only in office hours
 *   office-hours: {open: "08:30", close: "17:15"}   # on business days (not weekends, holidays)
 * maintenance:              # optional: dated windows in Japan time when nothing is issued
 *   - {from: "2026-12-06T00:00", to: "2026-12-06T06:30"}
 * </pre>
 *
 * Stores never issue during the year-end closure, 29 December to 3 January: that is the law
 * (行政機関の休日に関する法律), not a setting.
 */
public final class MunicipalityCatalog {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Map<String, MunicipalityProfile> profiles;

  private MunicipalityCatalog(Map<String, MunicipalityProfile> profiles) {
    this.profiles = Map.copyOf(profiles);
  }

  public static MunicipalityCatalog of(Collection<MunicipalityProfile> profiles) {
    Map<String, MunicipalityProfile> map = new TreeMap<>();
    profiles.forEach(p -> map.put(p.code(), p));
    return new MunicipalityCatalog(map);
  }

  /** Loads and validates every {@code *.yaml} in {@code dir}; all errors are reported at once. */
  public static MunicipalityCatalog load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CatalogException(dir + ": not a directory (expected: one CODE.yaml per municipality)");
    }
    Map<String, MunicipalityProfile> map = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        try {
          MunicipalityProfile p = parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
          String expected = p.code() + ".yaml";
          if (!file.getFileName().toString().equals(expected)) {
            throw new CatalogException(file.getFileName() + ": file name does not match code " + p.code() + " (expected: " + expected + ")");
          }
          map.put(p.code(), p);
        } catch (CatalogException e) {
          errors.add(e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!errors.isEmpty()) {
      throw new CatalogException("invalid municipal catalog in " + dir + ":\n  " + String.join("\n  ", errors));
    }
    return new MunicipalityCatalog(map);
  }

  /** Parses one municipality file; {@code source} names it in messages. */
  public static MunicipalityProfile parse(String source, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CatalogException(source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CatalogException(source + ": expected a mapping with code, mayor, certificates");
    }
    List<String> errors = new ArrayList<>();
    checkKeys(source, "", root, Set.of("code", "mayor", "certificates", "hours", "maintenance"), errors);
    String code = text(root, "code");
    LocalGovernment government = null;
    if (code == null) {
      errors.add(source + ": code: missing (expected: the 6-digit local-government code, quoted)");
    } else if (!LocalGovernmentCode.isValid(code)) {
      errors.add(source + ": code: '" + code + "' (expected: 6 digits with a valid check digit)");
    } else {
      government = LocalGovernmentCodes.bundled().find(code).orElse(null);
      if (government == null || government.type() == LocalGovernment.Type.PREFECTURE) {
        errors.add(source + ": code: " + code + " is not a municipality or ward in the code table");
        government = null;
      }
    }
    JsonNode mayor = root.get("mayor");
    String mayorTitle = null;
    String mayorName = null;
    if (mayor == null || !mayor.isObject()) {
      errors.add(source + ": mayor: missing (expected: title and name)");
    } else {
      checkKeys(source, "mayor.", mayor, Set.of("title", "name"), errors);
      mayorTitle = text(mayor, "title");
      mayorName = text(mayor, "name");
      if (mayorTitle == null || mayorTitle.isBlank() || mayorTitle.length() > 20) {
        errors.add(source + ": mayor.title: missing or longer than 20 characters");
      }
      if (mayorName == null || mayorName.isBlank() || mayorName.length() > 20) {
        errors.add(source + ": mayor.name: missing or longer than 20 characters");
      }
    }
    Map<CertificateType, CertificateTerms> certificates = new EnumMap<>(CertificateType.class);
    JsonNode certs = root.get("certificates");
    if (certs == null || !certs.isObject() || certs.isEmpty()) {
      errors.add(source + ": certificates: missing or empty (expected: a mapping from certificate type to its terms)");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = certs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String where = source + ": certificates." + e.getKey();
        CertificateType type;
        try {
          type = CertificateType.valueOf(e.getKey());
        } catch (IllegalArgumentException ex) {
          errors.add(where + ": unknown certificate type (expected one of " + List.of(CertificateType.values()) + ")");
          continue;
        }
        JsonNode t = e.getValue();
        if (t == null || !t.isObject()) {
          errors.add(where + ": expected a mapping with fee, max-copies, options");
          continue;
        }
        checkKeys(source, "certificates." + e.getKey() + ".", t, Set.of("fee", "max-copies", "options"), errors);
        int fee = integer(t, "fee", 0, 10_000, where, errors);
        int maxCopies = integer(t, "max-copies", 1, 20, where, errors);
        Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
        JsonNode opts = t.get("options");
        if (opts != null && !opts.isNull()) {
          if (!opts.isArray()) {
            errors.add(where + ".options: expected a list");
          } else {
            for (JsonNode o : opts) {
              try {
                options.add(CertificateOption.valueOf(o.asText()));
              } catch (IllegalArgumentException ex) {
                errors.add(where + ".options: unknown option '" + o.asText() + "' (expected one of " + List.of(CertificateOption.values()) + ")");
              }
            }
          }
          if (!options.isEmpty() && type != CertificateType.RESIDENCE && type != CertificateType.RESIDENCE_ITEMS) {
            errors.add(where + ".options: only residence certificates have options");
          }
        }
        certificates.put(type, new CertificateTerms(type, fee, maxCopies, options));
      }
    }
    ServiceHours hours = hours(source, root, errors);
    if (!errors.isEmpty()) {
      throw new CatalogException(String.join("\n  ", errors));
    }
    MunicipalityIdentity identity =
        new MunicipalityIdentity(code, government.prefecture(), government.nameWithinPrefecture(), mayorTitle, mayorName);
    return new MunicipalityProfile(identity, certificates, hours);
  }

  private static ServiceHours hours(String source, JsonNode root, List<String> errors) {
    int before = errors.size();
    LocalTime open = ServiceHours.DEFAULT_OPEN;
    LocalTime close = ServiceHours.DEFAULT_CLOSE;
    boolean officeOnly = false;
    LocalTime officeOpen = ServiceHours.DEFAULT_OFFICE_OPEN;
    LocalTime officeClose = ServiceHours.DEFAULT_OFFICE_CLOSE;
    JsonNode h = root.get("hours");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        errors.add(source + ": hours: expected a mapping with open, close, family-register-office-hours-only, office-hours");
      } else {
        checkKeys(source, "hours.", h, Set.of("open", "close", "family-register-office-hours-only", "office-hours"), errors);
        open = time(source, "hours.open", h.get("open"), open, errors);
        close = time(source, "hours.close", h.get("close"), close, errors);
        JsonNode only = h.get("family-register-office-hours-only");
        if (only != null && !only.isNull()) {
          if (!only.isBoolean()) {
            errors.add(source + ": hours.family-register-office-hours-only: '" + only.asText() + "' (expected: true or false)");
          } else {
            officeOnly = only.booleanValue();
          }
        }
        JsonNode office = h.get("office-hours");
        if (office != null && !office.isNull()) {
          if (!office.isObject()) {
            errors.add(source + ": hours.office-hours: expected a mapping with open and close");
          } else {
            checkKeys(source, "hours.office-hours.", office, Set.of("open", "close"), errors);
            officeOpen = time(source, "hours.office-hours.open", office.get("open"), officeOpen, errors);
            officeClose = time(source, "hours.office-hours.close", office.get("close"), officeClose, errors);
          }
        }
        if (errors.size() == before && !open.isBefore(close)) {
          errors.add(source + ": hours: open " + open + " is not before close " + close + " (expected: e.g. open \"06:30\", close \"23:00\")");
        }
        if (errors.size() == before && !officeOpen.isBefore(officeClose)) {
          errors.add(source + ": hours.office-hours: open " + officeOpen + " is not before close " + officeClose);
        }
      }
    }
    List<ServiceHours.Maintenance> windows = new ArrayList<>();
    JsonNode m = root.get("maintenance");
    if (m != null && !m.isNull()) {
      if (!m.isArray()) {
        errors.add(source + ": maintenance: expected a list of {from, to}");
      } else {
        for (int i = 0; i < m.size(); i++) {
          String where = "maintenance[" + i + "]";
          JsonNode w = m.get(i);
          if (!w.isObject()) {
            errors.add(source + ": " + where + ": expected a mapping with from and to");
            continue;
          }
          checkKeys(source, where + ".", w, Set.of("from", "to"), errors);
          LocalDateTime from = dateTime(source, where + ".from", w.get("from"), errors);
          LocalDateTime to = dateTime(source, where + ".to", w.get("to"), errors);
          if (from != null && to != null) {
            if (!from.isBefore(to)) {
              errors.add(source + ": " + where + ": from " + from + " is not before to " + to);
            } else {
              windows.add(new ServiceHours.Maintenance(from, to));
            }
          }
        }
      }
    }
    if (errors.size() != before) {
      return ServiceHours.DEFAULT;
    }
    return new ServiceHours(open, close, officeOnly, officeOpen, officeClose, windows);
  }

  private static LocalTime time(String source, String field, JsonNode v, LocalTime otherwise, List<String> errors) {
    if (v == null || v.isNull()) {
      return otherwise;
    }
    String text = v.asText();
    if (text.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
      return LocalTime.parse(text);
    }
    if (text.equals("24:00")) {
      return LocalTime.MAX;
    }
    errors.add(source + ": " + field + ": '" + text + "' (expected: a quoted Japan time HH:MM, e.g. \"06:30\")");
    return otherwise;
  }

  private static LocalDateTime dateTime(String source, String field, JsonNode v, List<String> errors) {
    if (v == null || v.isNull()) {
      errors.add(source + ": " + field + ": missing (expected: a Japan date-time such as \"2026-12-06T00:00\")");
      return null;
    }
    try {
      return LocalDateTime.parse(v.asText());
    } catch (java.time.format.DateTimeParseException e) {
      errors.add(source + ": " + field + ": '" + v.asText() + "' (expected: a Japan date-time such as \"2026-12-06T00:00\")");
      return null;
    }
  }

  private static void checkKeys(String source, String prefix, JsonNode node, Set<String> allowed, List<String> errors) {
    node.fieldNames().forEachRemaining(
        k -> {
          if (!allowed.contains(k)) {
            errors.add(source + ": " + prefix + k + ": unknown field (expected one of " + allowed + ")");
          }
        });
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static int integer(JsonNode node, String field, int min, int max, String where, List<String> errors) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      errors.add(where + "." + field + ": missing or not an integer (expected: " + min + ".." + max + ")");
      return min;
    }
    int i = v.asInt();
    if (i < min || i > max) {
      errors.add(where + "." + field + ": " + i + " (expected: " + min + ".." + max + ")");
    }
    return i;
  }

  public Optional<MunicipalityProfile> find(String code) {
    return Optional.ofNullable(profiles.get(code));
  }

  public Collection<MunicipalityProfile> all() {
    return profiles.values();
  }

  public Set<String> codes() {
    return profiles.keySet();
  }

  /** Writes a profile as a catalog file (used by the seed tool). */
  public static String toYaml(MunicipalityProfile p) {
    StringBuilder y = new StringBuilder();
    y.append("# ").append(p.identity().fullName()).append(": convenience-store issuance terms\n");
    y.append("code: \"").append(p.code()).append("\"\n");
    y.append("mayor:\n  title: ").append(p.identity().mayorTitle()).append("\n  name: ").append(p.identity().mayorName()).append('\n');
    y.append("certificates:\n");
    for (CertificateTerms t : new TreeMap<>(p.certificates()).values()) {
      y.append("  ").append(t.type().name()).append(":    # ").append(t.type().title()).append('\n');
      y.append("    fee: ").append(t.feeYen()).append('\n');
      y.append("    max-copies: ").append(t.maxCopies()).append('\n');
      if (!t.options().isEmpty()) {
        y.append("    options: ").append(t.options().stream().sorted().map(Enum::name).toList()).append('\n');
      }
    }
    ServiceHours h = p.hours();
    y.append("hours:    # Japan time; never 29 Dec-3 Jan\n");
    y.append("  open: \"").append(hhmm(h.open())).append("\"\n");
    y.append("  close: \"").append(hhmm(h.close())).append("\"\n");
    y.append("  family-register-office-hours-only: ").append(h.familyRegisterOfficeHoursOnly()).append('\n');
    y.append("  office-hours: {open: \"").append(hhmm(h.officeOpen())).append("\", close: \"").append(hhmm(h.officeClose())).append("\"}\n");
    if (!h.maintenance().isEmpty()) {
      y.append("maintenance:\n");
      for (ServiceHours.Maintenance m : h.maintenance()) {
        y.append("  - {from: \"").append(m.from()).append("\", to: \"").append(m.to()).append("\"}\n");
      }
    }
    return y.toString();
  }

  private static String hhmm(LocalTime t) {
    return t.equals(LocalTime.MAX) ? "24:00" : String.format("%02d:%02d", t.getHour(), t.getMinute());
  }
}

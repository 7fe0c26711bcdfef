package jp.kofu.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.CatalogException;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu demo}: the whole system on embedded defaults, end to end. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system on embedded defaults, end to end.",
      "",
      "Starts an embedded gateway and issuer (seeding two municipalities, 千代田区",
      "and the 本籍地 甲府市, with specimen residents), drives a simulated store",
      "copier with residents' cards through the whole flow, and writes one signed",
      "PDF of every certificate type and out/manifest.json, which also lists a",
      "refused request for every refusal reason."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin DataDir data;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Where to write the PDFs and manifest.json. Default: ${DEFAULT-VALUE}.")
  Path out;

  /** One certificate the demo issues. */
  private record Plan(String label, CertificateType type, HouseholdScope scope, List<CertificateOption> options, String municipality) {}

  private static final List<Plan> PLANS =
      List.of(
          new Plan("juminhyo", CertificateType.CERTIFICATE_TYPE_RESIDENCE, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("juminhyo-household", CertificateType.CERTIFICATE_TYPE_RESIDENCE, HouseholdScope.HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD,
              List.of(CertificateOption.CERTIFICATE_OPTION_HEAD_OF_HOUSEHOLD, CertificateOption.CERTIFICATE_OPTION_DOMICILE), Seeder.DEMO_MUNICIPALITY),
          new Plan("juminhyo-kisai", CertificateType.CERTIFICATE_TYPE_RESIDENCE_ITEMS, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("inkan", CertificateType.CERTIFICATE_TYPE_SEAL_REGISTRATION, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("koseki-zenbu", CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_FULL, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("koseki-kojin", CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_INDIVIDUAL, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("fuhyo", CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_ANNEX, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("shotoku", CertificateType.CERTIFICATE_TYPE_INCOME_TAX, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_MUNICIPALITY),
          new Plan("koseki-zenbu-honsekichi", CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_FULL, HouseholdScope.HOUSEHOLD_SCOPE_SELF, List.of(), Seeder.DEMO_DOMICILE_MUNICIPALITY));

  @Override
  public Integer call() throws Exception {
    DemoClock clock = new DemoClock(Clock.systemUTC());
    LocalDate day = JapanTime.date(clock.instant());
    if (clock.shifted()) {
      System.out.println("kofu demo: outside the stores' service hours now; the demo runs as of "
          + JapanTime.at(clock.instant()).toLocalDateTime().withNano(0) + " (Japan time)");
    }
    freshRegistryFor(day);
    System.out.println("kofu demo: starting the embedded world in " + data.dir.toAbsolutePath());
    try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().dataDir(data.dir).clock(clock));
        Copier copier = Copier.forWorld(world.address(), world.pki(), "kofu-mart", "store-0001", "copier-01")) {
      Files.writeString(demoDayMarker(), day.toString());
      System.out.println("  gateway on " + world.address() + " (TLS; copiers use mutual TLS); verification page on http://"
          + world.gateway().verificationAddress().getHostString() + ":" + world.gateway().verificationAddress().getPort() + "/");
      CardWallet wallet = CardWallet.open(world.walletDir(), world.pki());
      List<Specimen> specimens;
      try (Stream<String> lines = Files.lines(world.specimenIndex())) {
        specimens = lines.skip(1).map(Specimen::parse).toList();
      }
      Output output = new Output(out);
      output.clearEarlierDemoDocuments();
      Demo demo = new Demo(world, copier, wallet, output);

      Specimen here = find(specimens, Specimen.ISSUABLE, Seeder.DEMO_MUNICIPALITY);
      Specimen there = find(specimens, Specimen.ISSUABLE, Seeder.DEMO_DOMICILE_MUNICIPALITY);
      int n = 0;
      List<String> failed = new ArrayList<>();
      for (Plan plan : PLANS) {
        n++;
        Specimen who = plan.municipality().equals(Seeder.DEMO_MUNICIPALITY) ? here : there;
        CertificateRequest request =
            CertificateRequest.newBuilder().setType(plan.type()).setScope(plan.scope()).addAllOptions(plan.options()).setCopies(1).build();
        try {
          demo.issue(String.format("%02d-%s", n, plan.label()), who, plan.municipality(), request);
        } catch (StatusRuntimeException e) {
          failed.add(plan.label() + ": " + KofuException.reasonOf(e));
        }
      }

      Set<String> shown = new java.util.TreeSet<>();
      // The out-of-hours case last: it moves the world's clock to the evening and back, and nothing
      // should run on the clock after it (revocation data signed "in the evening" would look newer
      // than what the afternoon brings).
      List<Specimen> ordered = new ArrayList<>(specimens);
      ordered.sort(java.util.Comparator.comparing(sp -> sp.reason().equals("OUT_OF_SERVICE_HOURS")));
      for (Specimen s : ordered) {
        if (s.reason().equals(Specimen.ISSUABLE)) {
          continue;
        }
        CertificateRequest.Builder request = CertificateRequest.newBuilder().setType(IssuerProtos.toProto(s.type())).setCopies(1);
        String reason;
        switch (s.reason()) {
          case "OUT_OF_SERVICE_HOURS" -> {
            Instant lateEvening = day.atTime(23, 30).atZone(JapanTime.ZONE).toInstant();
            reason = clock.at(lateEvening, () -> demo.refuse(s, request.build()));
          }
          case "OPTION_NOT_OFFERED" -> reason = demo.refuse(s, request.addOptions(CertificateOption.CERTIFICATE_OPTION_MY_NUMBER).build());
          case "FISCAL_YEAR_NOT_OFFERED" -> {
            int current = day.getMonthValue() >= 6 ? day.getYear() : day.getYear() - 1;
            reason = demo.refuse(s, request.setFiscalYear(current - 1).build());
          }
          default -> reason = demo.refuse(s, request.build());
        }
        shown.add(s.reason());
        if (!reason.equals(s.reason()) && !(s.reason().equals("SUPPORT_MEASURE") && reason.equals("NOT_ISSUABLE"))) {
          failed.add(s.reason() + " (" + s.note() + ") was answered " + reason);
        }
      }
      Path manifest = output.writeManifest();
      System.out.println("  refused, each with its reason: " + shown);
      System.out.println("  manifest: " + manifest);
      if (!failed.isEmpty()) {
        System.err.println("kofu demo: not as expected: " + failed);
        return 1;
      }
      System.out.println();
      System.out.println("Open the PDFs in any viewer. Check a signature with: pdfsig " + out.resolve("01-*.pdf"));
      System.out.println("Check signature and issuance record:             ./kofu verify " + out.resolve("01-*.pdf"));
      return 0;
    }
  }

  private static Specimen find(List<Specimen> specimens, String reason, String municipality) {
    return specimens.stream()
        .filter(s -> s.reason().equals(reason) && s.municipalityCode().equals(municipality))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the seeded world has no specimen " + reason + " at " + municipality));
  }

  private Path demoDayMarker() {
    return data.dir.resolve("issuer").resolve("demo-day");
  }

  /**
   * Some specimens only exist on their day (a move-in recorded today, a 利用登録 filed today), so
   * the synthetic registry is seeded afresh when it was seeded for another day. The trust world and
   * the journal stay: documents issued before remain verifiable. The demo municipalities' catalog
   * files are rewritten only when they do not offer every certificate type.
   */
  private void freshRegistryFor(LocalDate day) throws IOException {
    Path issuer = data.dir.resolve("issuer");
    for (String code : List.of(Seeder.DEMO_MUNICIPALITY, Seeder.DEMO_DOMICILE_MUNICIPALITY)) {
      Path file = issuer.resolve("municipalities").resolve(code + ".yaml");
      if (Files.exists(file) && !offersEveryType(file)) {
        System.out.println("  " + file + " does not offer every certificate type: writing it anew");
        Files.delete(file);
      }
    }
    Path marker = demoDayMarker();
    boolean seeded = Files.exists(issuer.resolve("registry.mv.db"));
    if (!seeded || (Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(day.toString()))) {
      return;
    }
    System.out.println("  the synthetic registry was seeded for another day: seeding it for " + day);
    for (Path p : List.of(
        issuer.resolve("registry.mv.db"), issuer.resolve("registry.trace.db"), issuer.resolve("card-directory.csv"),
        data.dir.resolve("wallet").resolve("cards.csv"), data.dir.resolve("wallet").resolve("specimens.csv"))) {
      Files.deleteIfExists(p);
    }
  }

  private static boolean offersEveryType(Path file) throws IOException {
    try {
      var profile = MunicipalityCatalog.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
      return profile.certificates().keySet().containsAll(EnumSet.allOf(jp.kofu.issuer.spi.CertificateType.class));
    } catch (CatalogException e) {
      return false;
    }
  }

  /** The copier's side of the demo. */
  private static final class Demo {
    private final EmbeddedWorld world;
    private final Copier copier;
    private final CardWallet wallet;
    private final Output output;

    Demo(EmbeddedWorld world, Copier copier, CardWallet wallet, Output output) {
      this.world = world;
      this.copier = copier;
      this.wallet = wallet;
      this.output = output;
    }

    void issue(String label, Specimen who, String municipality, CertificateRequest request) throws Exception {
      CardWallet.Entry entry = wallet.entry(who.residentId()).orElseThrow();
      SimulatedCard card = wallet.card(who.residentId());
      ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
      try {
        String orderId = UUID.randomUUID().toString();
        ReceivedDocument doc = copier.issue(token, orderId, municipality, request);
        copier.accept(doc, card, orderId, municipality);
        copier.confirm(token, doc.header().getIssuanceId(), true);
        String file = label + "-" + doc.header().getIssuanceId() + ".pdf";
        Path written =
            output.document(file, doc.pdf(), municipality, ProtoEnums.unprefixed(request.getType()), entry.serial(), who.residentId(),
                doc.header().getIssuanceId(), doc.header().getVerificationCode());
        System.out.printf("  issued %-26s %d page(s), %,7d bytes, %3d yen, code %s -> %s%n", label, doc.header().getPageCount(),
            doc.pdf().length, doc.header().getFeeYen(), doc.header().getVerificationCode(), written);
      } finally {
        copier.closeSession(token);
      }
    }

    /** Asks as the specimen and records the refusal; returns the reason the copier was given. */
    String refuse(Specimen s, CertificateRequest request) {
      CardWallet.Entry entry = wallet.entry(s.residentId()).orElseThrow();
      String orderId = UUID.randomUUID().toString();
      String reason;
      Map<String, String> metadata = Map.of();
      try {
        ByteString token = copier.authenticate(copier.openSession(), wallet.card(s.residentId()), entry.pin()).getSessionToken();
        try {
          copier.issue(token, orderId, s.municipalityCode(), request);
          reason = "ISSUED";
        } finally {
          copier.closeSession(token);
        }
      } catch (StatusRuntimeException e) {
        reason = String.valueOf(KofuException.reasonOf(e));
        metadata = Errors.metadata(e);
      } catch (Exception e) {
        reason = e.getClass().getSimpleName();
      }
      String journaled = world.gateway().journal().findByOrder(orderId).map(i -> i.refusalReason()).orElse(null);
      output.refusal(s.municipalityCode(), ProtoEnums.unprefixed(request.getType()), entry.serial(), s.residentId(), reason, journaled, s.note(), metadata);
      System.out.printf("  refused %-30s %-22s %s%n", reason + (journaled != null && !journaled.equals(reason) ? " (journal: " + journaled + ")" : ""),
          ProtoEnums.unprefixed(request.getType()), s.note());
      return journaled != null && reason.equals("NOT_ISSUABLE") ? journaled : reason;
    }
  }
}

package jp.kofu.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.HouseholdScope;
import jp.kofu.proto.type.v1.Offering;
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
      "Runs the whole system on embedded defaults and writes signed certificates.",
      "",
      "Starts an embedded gateway and issuer (seeding a demo municipality on first run), drives a",
      "simulated store copier with residents' cards through the whole flow, and writes the signed",
      "certificates and out/manifest.json."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin DataDir data;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Where to write the PDFs and manifest.json. Default: ${DEFAULT-VALUE}.")
  Path out;

  /** One certificate the demo issues. */
  private record Plan(String label, CertificateType type, HouseholdScope scope, List<CertificateOption> options, boolean needsHousehold) {}

  private static final List<Plan> PLANS =
      List.of(
          new Plan("juminhyo", CertificateType.RESIDENCE, HouseholdScope.SELF, List.of(), false),
          new Plan("juminhyo-household", CertificateType.RESIDENCE, HouseholdScope.WHOLE_HOUSEHOLD, List.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE), true),
          new Plan("juminhyo-kisai", CertificateType.RESIDENCE_ITEMS, HouseholdScope.SELF, List.of(), false));

  @Override
  public Integer call() throws Exception {
    System.out.println("kofu demo: starting the embedded world in " + data.dir.toAbsolutePath());
    try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().dataDir(data.dir));
        Copier copier = Copier.forWorld(world.address(), world.pki(), "kofu-mart", "store-0001", "copier-01")) {
      System.out.println("  gateway on " + world.address() + " (TLS; copiers use mutual TLS)");
      CardWallet wallet = CardWallet.open(world.walletDir(), world.pki());
      Output output = new Output(out);
      List<Plan> remaining = new ArrayList<>(PLANS);
      int refusals = 0;
      for (CardWallet.Entry entry : wallet.entries(Seeder.DEMO_MUNICIPALITY)) {
        if (remaining.isEmpty()) {
          break;
        }
        SimulatedCard card = wallet.card(entry.residentId());
        ByteString token;
        try {
          token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
        } catch (StatusRuntimeException e) {
          if (refusals++ < 5) {
            output.refusal(entry.municipalityCode(), "(authentication)", entry.serial(), entry.residentId(), String.valueOf(KofuException.reasonOf(e)));
          }
          continue;
        }
        try {
          ListOfferingsResponse offerings = copier.offerings(token);
          for (Plan plan : List.copyOf(remaining)) {
            Offering offering = find(offerings, entry.municipalityCode(), plan.type());
            if (offering == null) {
              continue;
            }
            if (!offering.getAvailable()) {
              if (refusals++ < 5) {
                output.refusal(entry.municipalityCode(), plan.type().name(), entry.serial(), entry.residentId(), offering.getUnavailableReason());
              }
              break;
            }
            if (plan.needsHousehold() && offering.getHouseholdMembersCount() < 2) {
              continue;
            }
            String orderId = UUID.randomUUID().toString();
            CertificateRequest request =
                CertificateRequest.newBuilder().setType(plan.type()).setScope(plan.scope()).addAllOptions(plan.options()).setCopies(1).build();
            ReceivedDocument doc = copier.issue(token, orderId, entry.municipalityCode(), request);
            copier.accept(doc, card, orderId, entry.municipalityCode());
            copier.confirm(token, doc.header().getIssuanceId(), true);
            String file = String.format("%02d-%s-%s.pdf", PLANS.indexOf(plan) + 1, plan.label(), doc.header().getIssuanceId());
            Path written = output.document(file, doc.pdf(), entry.municipalityCode(), plan.type().name(), entry.serial(), entry.residentId(), doc.header().getIssuanceId());
            System.out.printf("  issued %-22s %d page(s), %,d bytes, %d yen -> %s%n", plan.label(), doc.header().getPageCount(), doc.pdf().length, doc.header().getFeeYen(), written);
            remaining.remove(plan);
          }
        } finally {
          copier.closeSession(token);
        }
      }
      Path manifest = output.writeManifest();
      System.out.println("  manifest: " + manifest);
      if (!remaining.isEmpty()) {
        System.err.println("kofu demo: could not issue " + remaining.stream().map(Plan::label).toList());
        return 1;
      }
      System.out.println();
      System.out.println("Open the PDFs in any viewer. Check a signature with: pdfsig " + out.resolve("01-*.pdf"));
      System.out.println("or with kofu itself:                            ./kofu verify " + out.resolve("01-*.pdf"));
      return 0;
    }
  }

  private static Offering find(ListOfferingsResponse offerings, String code, CertificateType type) {
    for (MunicipalityOfferings m : offerings.getMunicipalitiesList()) {
      if (m.getMunicipalityCode().equals(code)) {
        for (Offering o : m.getOfferingsList()) {
          if (o.getType() == type) {
            return o;
          }
        }
      }
    }
    return null;
  }
}

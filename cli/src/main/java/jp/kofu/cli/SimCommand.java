package jp.kofu.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu sim ...}: simulated copiers. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Simulated store copiers and cards.",
    subcommands = {SimCommand.Issue.class, SimLoadCommand.class})
final class SimCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  enum Scope {
    self,
    household
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Drives one simulated copier through one issuance and writes the PDF.",
        "",
        "Drives one simulated copier through one whole issuance with a resident's card: open,",
        "PIN and signature, authenticate, offerings, issue, check the document, confirm, close.",
        "Writes the PDF. Against --gateway HOST:PORT, or an embedded world started in-process."
      })
  static final class Issue implements Callable<Integer> {
    @Mixin DataDir data;

    @Option(names = "--municipality", defaultValue = Seeder.DEMO_MUNICIPALITY, description = "6-digit code. Default: ${DEFAULT-VALUE}.")
    String municipality;

    @Option(names = "--resident", required = true, description = "The resident id whose card is used (see DATA/wallet/cards.csv).")
    long resident;

    @Option(names = "--type", defaultValue = "juminhyo", description = "juminhyo, juminhyo-kisai, inkan, koseki-zenbu, koseki-kojin, fuhyo, shotoku. Default: ${DEFAULT-VALUE}.")
    CertificateType type;

    @Option(names = "--scope", defaultValue = "self", description = "self or household (residence certificates). Default: ${DEFAULT-VALUE}.")
    Scope scope;

    @Option(names = "--option", paramLabel = "OPTION", description = "HEAD_OF_HOUSEHOLD, DOMICILE, MY_NUMBER, NATIONALITY, RESIDENCE_STATUS, RESIDENCE_CARD_NUMBER; repeatable.")
    List<CertificateOption> options = List.of();

    @Option(names = "--copies", defaultValue = "1", description = "Copies to print (the fee is per copy). Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--pin", description = "The PIN to enter. Default: the card's own.")
    String pin;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "A running gateway (./kofu gateway). Default: start one in-process.")
    InetSocketAddress gateway;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Where the PDF is written. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
      CertificateType certificateType = type;
      EmbeddedWorld world = null;
      TrustWorld pki;
      InetSocketAddress address;
      if (gateway == null) {
        DemoClock clock = new DemoClock(java.time.Clock.systemUTC());
        if (clock.shifted()) {
          System.err.println("outside service hours: the in-process world runs as of the last time the service was open");
        }
        world = EmbeddedWorld.start(EmbeddedWorld.options().dataDir(data.dir).clock(clock));
        pki = world.pki();
        address = world.address();
      } else {
        pki = TrustWorld.openOrCreate(data.dir.resolve("pki"));
        address = gateway;
      }
      try (Copier copier = Copier.forWorld(address, pki, "kofu-mart", "store-0001", "copier-01")) {
        CardWallet wallet = CardWallet.open(data.dir.resolve("wallet"), pki);
        CardWallet.Entry entry = wallet.entry(resident).orElse(null);
        if (entry == null) {
          System.err.println("resident " + resident + " has no card in " + data.dir.resolve("wallet/cards.csv"));
          return 1;
        }
        SimulatedCard card = wallet.card(resident);
        String orderId = UUID.randomUUID().toString();
        ByteString token = copier.authenticate(copier.openSession(), card, pin == null ? entry.pin() : pin).getSessionToken();
        try {
          CertificateRequest request =
              CertificateRequest.newBuilder()
                  .setType(IssuerProtos.toProto(certificateType))
                  .setScope(scope == Scope.household ? HouseholdScope.HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD : HouseholdScope.HOUSEHOLD_SCOPE_SELF)
                  .addAllOptions(options)
                  .setCopies(copies)
                  .build();
          copier.offerings(token);
          ReceivedDocument doc = copier.issue(token, orderId, municipality, request);
          copier.accept(doc, card, orderId, municipality);
          copier.confirm(token, doc.header().getIssuanceId(), true);
          Output output = new Output(out);
          Path file =
              output.document(
                  certificateType.slug() + "-" + doc.header().getIssuanceId() + ".pdf", doc.pdf(), municipality, certificateType.name(),
                  card.serialHex(), resident, doc.header().getIssuanceId());
          System.out.printf("issued %s: %d page(s), %,d bytes, fee %d yen, verified and confirmed -> %s%n",
              certificateType.title(), doc.header().getPageCount(), doc.pdf().length, doc.header().getFeeYen(), file);
          return 0;
        } finally {
          copier.closeSession(token);
        }
      } catch (StatusRuntimeException e) {
        System.err.println("refused: " + e.getStatus().getCode() + " " + KofuException.reasonOf(e) + ": " + e.getStatus().getDescription());
        return 1;
      } catch (SimulatedCard.PinException e) {
        System.err.println("card: " + e.getMessage() + " (" + e.remainingTries() + " tries left)");
        return 1;
      } finally {
        if (world != null) {
          world.close();
        }
      }
    }
  }
}

package jp.kofu.gateway;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;

/**
 * Kind {@code previous-document}, for tests: the embedded adapter with Yokohama's 2023 defect — it
 * hands each request the document it produced for the request before (DOMAIN.md §7). Settings are
 * the embedded adapter's.
 */
public final class PreviousDocumentAdapterFactory implements IssuerAdapterFactory {
  @Override
  public String kind() {
    return "previous-document";
  }

  @Override
  public IssuerAdapter create(AdapterContext context) {
    IssuerAdapter real = new EmbeddedIssuerAdapterFactory().create(context);
    AtomicReference<IssuedDocument> previous = new AtomicReference<>();
    return new IssuerAdapter() {
      @Override
      public Set<String> municipalityCodes() {
        return real.municipalityCodes();
      }

      @Override
      public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
        return real.resolveCard(query);
      }

      @Override
      public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
        return real.offerings(query);
      }

      @Override
      public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
        IssuedDocument made = real.issue(command);
        IssuedDocument before = previous.getAndSet(made);
        return before == null ? made : before;
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }
}

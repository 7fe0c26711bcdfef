package jp.kofu.issuer.contract;

import java.util.Set;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;

/**
 * An adapter as it was written against SPI 1.0: it implements resolveCard, offerings and {@link
 * IssuerAdapter#issue(IssueCommand)} only (here by delegating to another adapter's), so the SPI
 * 1.1 call {@link IssuerAdapter#issue(jp.kofu.issuer.spi.CardIssueCommand)} reaches it through the
 * SPI's default method.
 */
public final class Spi10Adapter implements IssuerAdapter {
  private final IssuerAdapter delegate;

  public Spi10Adapter(IssuerAdapter delegate) {
    this.delegate = delegate;
  }

  @Override
  public Set<String> municipalityCodes() {
    return delegate.municipalityCodes();
  }

  @Override
  public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
    return delegate.resolveCard(query);
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    return delegate.offerings(query);
  }

  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    return delegate.issue(command);
  }

  @Override
  public void close() {
    delegate.close();
  }
}

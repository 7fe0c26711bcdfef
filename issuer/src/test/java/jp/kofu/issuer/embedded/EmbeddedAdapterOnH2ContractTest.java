package jp.kofu.issuer.embedded;

import jp.kofu.storage.Databases;

/** The embedded adapter keeps the adapter contract on its default database, H2. */
class EmbeddedAdapterOnH2ContractTest extends EmbeddedAdapterContract {
  @Override
  Databases.Kind kind() {
    return Databases.Kind.H2;
  }
}

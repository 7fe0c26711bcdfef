package jp.kofu.issuer.embedded;

import jp.kofu.storage.Databases;

/** The embedded adapter keeps the adapter contract on a real PostgreSQL server. */
class EmbeddedAdapterOnPostgresContractTest extends EmbeddedAdapterContract {
  @Override
  Databases.Kind kind() {
    return Databases.Kind.POSTGRESQL;
  }
}

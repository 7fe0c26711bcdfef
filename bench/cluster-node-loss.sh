#!/bin/sh
# The cluster under node loss (docs/OPERATIONS.md, "Cluster under node loss"): three gateways in
# child JVMs on one PostgreSQL (journal and registry), the load simulator across all three, SIGKILLs
# and restarts, PostgreSQL stopped for 10 s, then the proofs against the journal. The short version
# (16 s, 2 kills, 3/s) runs in ./mvnw verify; this script runs any length.
#
#   bench/cluster-node-loss.sh [SECONDS] [KILLS] [RATE] [maven options...]
#     SECONDS  how long copiers keep arriving (default 120; more while a restart is still under way)
#     KILLS    SIGKILLs, spread over the run, one gateway after another (default 5)
#     RATE     orders per second across the cluster (default 4)
#   -Dkofu.cluster.start-bound-seconds=N   how long one gateway start may take (default 240)
#   -Dkofu.test.aot=false                  start the gateways without the AOT class cache
#
# Figures in gateway/target/cluster-node-loss.txt. Builds the gateway's upstream modules first
# (install -DskipTests); pass -o and -Dmaven.repo.local=... as usual.
set -eu
cd "$(dirname "$0")/.."
SECONDS_=${1:-120}
KILLS=${2:-5}
RATE=${3:-4}
shift $(( $# < 3 ? $# : 3 ))
./mvnw -q -Dbuf.skip=true "$@" -pl gateway -am install -DskipTests
./mvnw -q -Dbuf.skip=true "$@" -pl gateway -Pone-test test -Dtest=ClusterNodeLossTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkofu.cluster.seconds="$SECONDS_" -Dkofu.cluster.kills="$KILLS" -Dkofu.cluster.rate="$RATE"
cat gateway/target/cluster-node-loss.txt

#!/bin/sh
# The cluster under node loss, long version (docs/OPERATIONS.md, "Cluster under node loss"):
# three gateways in child JVMs on one PostgreSQL (journal and registry), the load simulator across all
# three, SIGKILLs and restarts, PostgreSQL stopped for 10 s. Figures in gateway/target/cluster-node-loss.txt.
#   bench/cluster-node-loss.sh [SECONDS] [KILLS] [RATE]
set -eu
cd "$(dirname "$0")/.."
SECONDS_=${1:-180}
KILLS=${2:-8}
RATE=${3:-20}
shift $(( $# < 3 ? $# : 3 ))
./mvnw -q -pl gateway -am verify -Dtest=ClusterNodeLossTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkofu.cluster.seconds="$SECONDS_" -Dkofu.cluster.kills="$KILLS" -Dkofu.cluster.rate="$RATE" "$@"
cat gateway/target/cluster-node-loss.txt

# Sourced by ./kofu, ./mvnw, bench/run, .ci/run and the distribution's bin/kofu: finds a JDK 21 or
# newer, as a user's setup would. find_jdk prints its home: the first JDK 21+ among JAVA_HOME, the
# java on PATH, and the usual install places (/usr/lib/jvm, /usr/java, /opt, SDKMAN, macOS).
# Returns 1 when there is none. `find_jdk jre` also accepts a Java runtime without javac (enough
# to run kofu, not to build it).

java_major() { # the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

find_jdk() {
  local candidates=() d c m
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/jre* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    [ "${1:-}" = jre ] || [ -x "$c/bin/javac" ] || continue
    m="$(java_major "$c/bin/java")"
    if [ "${m:-0}" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}

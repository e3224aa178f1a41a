# Sourced by ./quarry and ./run-tests: finds a JDK 21+ without anyone setting JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then every JDK under /usr/lib/jvm (newest first).
# Sets QUARRY_JAVA_HOME, or prints what is needed and returns 1.

quarry_java_major() {
  # `java -version` prints e.g. 'openjdk version "25.0.1"' or '"1.8.0_392"' on stderr.
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' | awk -F. '{ if ($1 == "1") print $2; else print $1 }'
}

quarry_is_jdk21() {
  local home=$1 major
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major=$(quarry_java_major "$home")
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null
}

quarry_find_java() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && quarry_is_jdk21 "$JAVA_HOME"; then
    QUARRY_JAVA_HOME=$JAVA_HOME; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if quarry_is_jdk21 "$candidate"; then QUARRY_JAVA_HOME=$candidate; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    candidate=${candidate%/}
    if quarry_is_jdk21 "$candidate"; then QUARRY_JAVA_HOME=$candidate; return 0; fi
  done
  cat >&2 <<'MSG'
quarry: needs a JDK 21 or newer (java and javac), and found none.
  Looked at: $JAVA_HOME, the java on PATH, /usr/lib/jvm/*.
  Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it.
MSG
  return 1
}

# The JDK decodes file names with the locale's charset: under LANG=C it would turn every
# non-ASCII name into '?'. Quarry always runs with a UTF-8 locale.
quarry_utf8_locale() {
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
}

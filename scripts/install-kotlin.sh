#!/usr/bin/env bash
# Installs what the Kotlin binding suite needs on a plain JVM: kotlinc from the
# npm package `kotlin-compiler` (pinned), and JNA, kotlinx-coroutines, JUnit 4
# and Hamcrest from Maven Central (pinned in scripts/kotlin-libs/pom.xml), all
# into $EQUALLY_TOOLS. Prints only `export` lines on stdout:
#   eval "$(scripts/install-kotlin.sh)"
#
# Exports: KOTLIN_VERSION KOTLIN_HOME KOTLINC KOTLIN_STDLIB_JAR KOTLIN_TEST_JAR
#   KOTLIN_TEST_JUNIT_JAR KOTLINX_COROUTINES_JAR JNA_JAR JUNIT_JAR HAMCREST_JAR
#   KOTLIN_LIBS_DIR (every jar the pom resolved, transitive ones included)
#   KOTLIN_TEST_CLASSPATH (the kotlinc jars, then every jar in KOTLIN_LIBS_DIR,
#   joined with ':', for kotlinc -cp and java -cp)
#
# Why Maven and not Debian: Debian's JNA (5.13) is older than the 5.17 the
# Android app ships, and the suite should run the bindings on the JNA the app
# uses. kotlin-stdlib, kotlin-test and kotlin-test-junit still come from the
# compiler's own lib/ so they always match kotlinc. The Maven jna.jar carries
# its libjnidispatch and unpacks it to a temp folder when loaded.
#
# The jars land in $EQUALLY_TOOLS/kotlin-libs-<hash of the pom>, so editing the
# pom gives a fresh folder on the next run and an unchanged pom costs no mvn
# start (Maven's own download cache is $EQUALLY_TOOLS/maven-repo).
#
# Compile and run a JUnit 4 suite (JUnitCore ends with "OK (N tests)", exit 0/1):
#   eval "$(scripts/install-kotlin.sh)"
#   "$KOTLINC" -jvm-target 17 -cp "$KOTLIN_TEST_CLASSPATH" -d build/kt-tests.jar tests/kotlin/*.kt
#   java -cp "build/kt-tests.jar:$KOTLIN_TEST_CLASSPATH" -Djna.library.path=target/debug \
#       org.junit.runner.JUnitCore equally.SmokeTest
# (generated bindings are compiled in the same kotlinc call; the library is found
# by JNA through -Djna.library.path, the folder holding libequally_ffi.so.)
set -euo pipefail
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

KOTLIN_VERSION=2.4.20
DIR="$EQUALLY_TOOLS/kotlin-$KOTLIN_VERSION"
KOTLIN_HOME="$DIR/node_modules/kotlin-compiler"
POM="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kotlin-libs/pom.xml"
LIBS_DIR="$EQUALLY_TOOLS/kotlin-libs-$(sha256sum "$POM" | cut -c1-12)"

command -v java >/dev/null || die "java not found (the suite needs a JDK 17)"

if [ -f "$DIR/.complete" ] && [ -x "$KOTLIN_HOME/bin/kotlinc" ]; then
    log "kotlinc $KOTLIN_VERSION already in $DIR"
else
    command -v npm >/dev/null || die "npm not found (kotlinc comes from the npm package kotlin-compiler)"
    log "installing kotlin-compiler@$KOTLIN_VERSION from npm into $DIR"
    mkdir -p "$EQUALLY_TOOLS"
    # Install beside the target and rename, so an interrupted run leaves no half install.
    tmp="$(mktemp -d "$EQUALLY_TOOLS/.kotlin-$KOTLIN_VERSION.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    npm install --prefix "$tmp" --no-audit --no-fund --no-update-notifier --loglevel=error \
        "kotlin-compiler@$KOTLIN_VERSION" </dev/null >&2
    [ -x "$tmp/node_modules/kotlin-compiler/bin/kotlinc" ] || die "npm package has no bin/kotlinc"
    touch "$tmp/.complete"
    rm -rf "$DIR"
    mv "$tmp" "$DIR"
    trap - EXIT
fi

if [ -f "$LIBS_DIR/.complete" ]; then
    log "Maven jars already in $LIBS_DIR"
else
    command -v mvn >/dev/null || apt_install maven
    log "resolving $POM from Maven Central into $LIBS_DIR"
    mkdir -p "$EQUALLY_TOOLS"
    tmp="$(mktemp -d "$EQUALLY_TOOLS/.kotlin-libs.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # Only errors reach the terminal, on stderr (stdout stays `export` lines);
    # -q still leaves bare colour resets, which sed drops. pipefail keeps
    # mvn's exit status.
    mvn -B -q -f "$POM" -Dmaven.repo.local="$EQUALLY_TOOLS/maven-repo" \
        dependency:copy-dependencies -DoutputDirectory="$tmp" </dev/null 2>&1 \
        | sed 's/\x1b\[[0-9;]*m//g' >&2
    touch "$tmp/.complete"
    # Folders for earlier versions of the pom are of no further use.
    rm -rf "$EQUALLY_TOOLS"/kotlin-libs-*
    mv "$tmp" "$LIBS_DIR"
    trap - EXIT
fi

# The one jar of an artifact in $LIBS_DIR: NAME-VERSION.jar.
libs_jar() {
    local found=("$LIBS_DIR/$1"-[0-9]*.jar)
    [ "${#found[@]}" -eq 1 ] && [ -f "${found[0]}" ] \
        || die "expected one $1-<version>.jar in $LIBS_DIR, found: ${found[*]} (delete the folder to resolve again)"
    printf '%s\n' "${found[0]}"
}

# Plain assignments, so a failing libs_jar stops the script (set -e).
coroutines_jar="$(libs_jar kotlinx-coroutines-core-jvm)"
jna_jar="$(libs_jar jna)"
junit_jar="$(libs_jar junit)"
hamcrest_jar="$(libs_jar hamcrest)"
lib="$KOTLIN_HOME/lib"
declare -A jars=(
    [KOTLIN_STDLIB_JAR]="$lib/kotlin-stdlib.jar"
    [KOTLIN_TEST_JAR]="$lib/kotlin-test.jar"
    [KOTLIN_TEST_JUNIT_JAR]="$lib/kotlin-test-junit.jar"
    [KOTLINX_COROUTINES_JAR]="$coroutines_jar"
    [JNA_JAR]="$jna_jar"
    [JUNIT_JAR]="$junit_jar"
    [HAMCREST_JAR]="$hamcrest_jar"
)
order=(KOTLIN_STDLIB_JAR KOTLIN_TEST_JAR KOTLIN_TEST_JUNIT_JAR KOTLINX_COROUTINES_JAR JNA_JAR JUNIT_JAR HAMCREST_JAR)
classpath=""
for name in KOTLIN_STDLIB_JAR KOTLIN_TEST_JAR KOTLIN_TEST_JUNIT_JAR; do
    [ -f "${jars[$name]}" ] || die "missing ${jars[$name]} (delete $DIR to reinstall)"
    classpath="${classpath:+$classpath:}${jars[$name]}"
done
# Every jar the pom resolved, in a stable order, so a dependency added to the
# pom (and whatever it pulls in) is on the classpath with no change here.
for jar in "$LIBS_DIR"/*.jar; do
    classpath="$classpath:$jar"
done

printf 'export KOTLIN_VERSION=%q\n' "$KOTLIN_VERSION"
printf 'export KOTLIN_HOME=%q\n' "$KOTLIN_HOME"
printf 'export KOTLINC=%q\n' "$KOTLIN_HOME/bin/kotlinc"
for name in "${order[@]}"; do
    printf 'export %s=%q\n' "$name" "${jars[$name]}"
done
printf 'export KOTLIN_LIBS_DIR=%q\n' "$LIBS_DIR"
printf 'export KOTLIN_TEST_CLASSPATH=%q\n' "$classpath"
log "ready: kotlinc $KOTLIN_VERSION; ${jars[JNA_JAR]##*/}, ${jars[KOTLINX_COROUTINES_JAR]##*/}, ${jars[JUNIT_JAR]##*/}, ${jars[HAMCREST_JAR]##*/}"

#!/usr/bin/env bash
# Installs what the Kotlin binding suite needs on a plain JVM: kotlinc from the
# npm package `kotlin-compiler` (pinned) into $EQUALLY_TOOLS, and JNA + JUnit 4
# from Debian. Prints only `export` lines on stdout: eval "$(scripts/install-kotlin.sh)"
#
# Exports: KOTLIN_VERSION KOTLIN_HOME KOTLINC KOTLIN_STDLIB_JAR KOTLIN_TEST_JAR
#   KOTLIN_TEST_JUNIT_JAR KOTLINX_COROUTINES_JAR JNA_JAR JUNIT_JAR HAMCREST_JAR
#   KOTLIN_TEST_CLASSPATH (all the jars above, joined with ':', for kotlinc -cp and java -cp)
#
# Why these: Maven Central is not reachable, so JUnit 4 + Hamcrest come from
# Debian (junit4, libhamcrest-java) and kotlin.test's JUnit 4 asserter and
# kotlinx-coroutines come from the compiler distribution's own lib/. Debian's
# jna.jar loads libjnidispatch from libjna-jni (/usr/lib/x86_64-linux-gnu/jni),
# which Debian's JDK has on java.library.path, so no -Djna.* flag is needed.
#
# Compile and run a JUnit 4 suite (verified with a test using runBlocking and
# JNA calling libc getpid; JUnitCore ends with "OK (N tests)", exit code 0/1):
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
JAVA_DIR=/usr/share/java

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

# Debian packages for JNA and JUnit 4; apt only when a jar is missing.
pkgs=()
[ -f "$JAVA_DIR/jna.jar" ] || pkgs+=(libjna-java libjna-jni)
[ -f "$JAVA_DIR/junit4.jar" ] || pkgs+=(junit4)
[ -f "$JAVA_DIR/hamcrest.jar" ] || pkgs+=(libhamcrest-java)
if [ "${#pkgs[@]}" -gt 0 ]; then
    apt_install "${pkgs[@]}"
else
    log "jna, junit4, hamcrest already in $JAVA_DIR"
fi

lib="$KOTLIN_HOME/lib"
declare -A jars=(
    [KOTLIN_STDLIB_JAR]="$lib/kotlin-stdlib.jar"
    [KOTLIN_TEST_JAR]="$lib/kotlin-test.jar"
    [KOTLIN_TEST_JUNIT_JAR]="$lib/kotlin-test-junit.jar"
    [KOTLINX_COROUTINES_JAR]="$lib/kotlinx-coroutines-core-jvm.jar"
    [JNA_JAR]="$JAVA_DIR/jna.jar"
    [JUNIT_JAR]="$JAVA_DIR/junit4.jar"
    [HAMCREST_JAR]="$JAVA_DIR/hamcrest.jar"
)
order=(KOTLIN_STDLIB_JAR KOTLIN_TEST_JAR KOTLIN_TEST_JUNIT_JAR KOTLINX_COROUTINES_JAR JNA_JAR JUNIT_JAR HAMCREST_JAR)
classpath=""
for name in "${order[@]}"; do
    [ -f "${jars[$name]}" ] || die "missing ${jars[$name]} (delete $DIR to reinstall)"
    classpath="${classpath:+$classpath:}${jars[$name]}"
done

printf 'export KOTLIN_VERSION=%q\n' "$KOTLIN_VERSION"
printf 'export KOTLIN_HOME=%q\n' "$KOTLIN_HOME"
printf 'export KOTLINC=%q\n' "$KOTLIN_HOME/bin/kotlinc"
for name in "${order[@]}"; do
    printf 'export %s=%q\n' "$name" "${jars[$name]}"
done
printf 'export KOTLIN_TEST_CLASSPATH=%q\n' "$classpath"
log "ready: kotlinc $KOTLIN_VERSION, JNA $(dpkg-query -W -f='${Version}' libjna-java 2>/dev/null || echo '?'), JUnit $(dpkg-query -W -f='${Version}' junit4 2>/dev/null || echo '?')"

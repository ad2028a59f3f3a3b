#!/usr/bin/env bash
# Builds this project against the installed Myelin artifacts and runs both examples as a user
# would: plain java with the JVM flags README names. Fails when an example fails or prints a
# wrong result. Needs JAVA_HOME (JDK 25) and Myelin installed (mvn install at the repository root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

mvn -B -q package
cp="target/classes:$(cat target/classpath.txt)"
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

gemm="$("$JAVA_HOME/bin/java" "${flags[@]}" -cp "$cp" dev.myelin.examples.GemmExample)"
echo "$gemm"
[[ "$gemm" == "cpu: [58.0, 64.0, 139.0, 154.0]" ]] || { echo "examples/run.sh: GemmExample printed a wrong product" >&2; exit 1; }

iris="$("$JAVA_HOME/bin/java" "${flags[@]}" -cp "$cp" dev.myelin.examples.IrisExample)"
echo "$iris"
accuracy="$(sed -n 's/.*accuracy=\([0-9.]*\).*/\1/p' <<<"$iris")"
awk -v a="${accuracy:-0}" 'BEGIN { exit !(a >= 0.8) }' \
    || { echo "examples/run.sh: IrisExample's test accuracy ${accuracy:-?} is below 0.8" >&2; exit 1; }

# Shared by the bench/*.sh scripts: build once, check the tools a benchmark needs, and say why when something is
# missing instead of exiting silently. Source it from a script that has already cd'ed to the project root.

die() {
  echo "bench: $*" >&2
  exit 1
}

# need TOOL HOW-TO-GET-IT
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"
}

# Packages the operator (offline first; online when the local repository lacks something), test classes included.
build() {
  if ! ./mvnw -q -B -o package -DskipTests >target/bench-build.log 2>&1; then
    echo "bench: offline build failed, trying online (log: target/bench-build.log)" >&2
    ./mvnw -q -B package -DskipTests >target/bench-build.log 2>&1 || { tail -30 target/bench-build.log >&2; die "build failed"; }
  fi
}

# The test-scope class path (benchmarks reuse the test servers and fixtures), written to target/bench-classpath.txt.
test_classpath() {
  local args=(-q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
  if ! ./mvnw -o "${args[@]}" >target/bench-classpath.log 2>&1; then
    ./mvnw "${args[@]}" >target/bench-classpath.log 2>&1 || { tail -30 target/bench-classpath.log >&2; die "cannot resolve the test class path"; }
  fi
  echo "target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
}

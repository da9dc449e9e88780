#!/usr/bin/env bash
# Runs every test: builds the solution, installs the conformance suites' npm packages from their
# lockfiles, and runs all test projects. Tests start their own PostgreSQL (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

for lock in $(find tests -name package-lock.json -not -path '*/node_modules/*'); do
  dir=$(dirname "$lock")
  echo "== npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

results=$(mktemp -d)
dotnet build Records.sln -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Records.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line over all test assemblies, in the plain form CI reads.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit $status

#!/usr/bin/env bash
# Runs the product. With no connection string configured it starts a private PostgreSQL cluster
# under .records/ and loads the demo hospital (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/Api -c Release -- --Records:DataDirectory="$PWD/.records/postgres" --Records:Logging:Format=simple "$@"

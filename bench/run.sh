#!/usr/bin/env bash
# The GeoReadiness benchmark: national indicator recompute on the embedded engine, in PostGIS (product engine and
# hand-tuned SQL) and in geopandas, on the same generated data in one run; checks that they agree and writes
# docs/benchmarks.md. Starts its own throwaway PostGIS (scripts/postgis.sh) on PGPORT (default 55444).
#
#   bench/run.sh --pg-runs 1      # full national scale (≈ 30 min on 2 cores; --pg-runs 3, the default, adds the most)
#   bench/run.sh --scale 0.05 --out /tmp/bench.md   # a quick run
#   bench/run.sh --help           # every option
#   bench/run.sh --only scenarios # only the what-if scenario benchmark (Monte-Carlo, no PostGIS): writes
#                                 # bench/results/scenarios.json and its section of docs/benchmarks.md
#   bench/run.sh --only forecasting # only the forecasting benchmark (synthetic history, training, batch scoring; a few
#                                 # minutes, no PostGIS): writes bench/results/forecasting.json and its section
#
# Needs root for PostgreSQL (as test.sh). geopandas comes from Debian (python3-geopandas python3-rtree) and is
# not installed here: without it the geopandas line says "not available".
set -euo pipefail
cd "$(dirname "$0")/.."
prev=""
for arg in "$@"; do
    if [[ "$prev" == "--only" && ( "$arg" == "scenarios" || "$arg" == "forecasting" ) ]]; then
        # the scenario and forecasting benchmarks need no PostGIS: no packages, no cluster
        dotnet build bench/GeoReadiness.Bench/GeoReadiness.Bench.csproj -c Release --nologo -v q 2>&1 | tail -2
        exec dotnet bench/GeoReadiness.Bench/bin/Release/net10.0/georeadiness-bench.dll --command "bench/run.sh $*" "$@"
    fi
    prev=$arg
done
export PGPORT=${PGPORT:-55444}
source scripts/postgis.sh     # defines ensure_packages / pg_start / pg_stop, exports PG_CONN
ensure_packages
dotnet build bench/GeoReadiness.Bench/GeoReadiness.Bench.csproj -c Release --nologo -v q 2>&1 | tail -2
pg_start
trap pg_stop EXIT
dotnet bench/GeoReadiness.Bench/bin/Release/net10.0/georeadiness-bench.dll --command "bench/run.sh $*" "$@"

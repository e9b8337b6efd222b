#!/usr/bin/env bash
# Runs every GeoReadiness test against a real, throwaway PostGIS cluster.
# Installs what is missing (Debian packages, as root), starts PostgreSQL 15 + PostGIS on 127.0.0.1,
# builds, runs `dotnet test` and prints a closing line "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Import).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgis.sh     # defines pg_start / pg_stop, exports PG_CONN
ensure_packages
pg_start
trap pg_stop EXIT

log_dir=$(mktemp -d /tmp/georeadiness-test.XXXXXX)
dotnet restore --nologo -v q
dotnet build --no-restore --nologo -v q -c Release
set +e
dotnet test --no-build -c Release --nologo "$@" 2>&1 | tee "$log_dir/test.log"
rc=${PIPESTATUS[0]}
set -e
# dotnet test prints one "Failed: a, Passed: b, Skipped: c" line per test project; add them up.
summary=$(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\2 \1 \3/p' "$log_dir/test.log" \
  | awk '{p+=$1; f+=$2; s+=$3; n++} END {printf "%d %d %d %d", p, f, s, n}')
read -r passed failed skipped projects <<<"$summary"
rm -rf "$log_dir"
if [ "$projects" = 0 ] && [ "$rc" != 0 ]; then failed=1; fi   # the build or the runner broke before any summary
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"

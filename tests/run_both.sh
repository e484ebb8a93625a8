#!/usr/bin/env bash
# `make test` with LERNPFAD_TEST_DATABASE_URL set: the suite on SQLite and on PostgreSQL side by
# side (two processes, one per core), so both fit the time one took after the other. The
# PostgreSQL run prints as it goes; the SQLite run's output follows when both are done. Fails
# when either fails. Usage: tests/run_both.sh PYTHON [pytest arguments …]
set -u
python="$1"
shift
log="$(mktemp "${TMPDIR:-/tmp}/lernpfad-sqlite-run.XXXXXX")"
trap 'rm -f "$log"' EXIT
env -u LERNPFAD_TEST_DATABASE_URL "$python" -m pytest -q -m "not slow" "$@" >"$log" 2>&1 &
sqlite=$!
trap 'kill "$sqlite" 2>/dev/null; rm -f "$log"' EXIT INT TERM
echo "== on $LERNPFAD_TEST_DATABASE_URL, and on SQLite at the same time (its output follows)"
"$python" -m pytest -q -m "not slow" -p no:cacheprovider "$@"
postgres=$?
wait "$sqlite"
sqlite_status=$?
echo "== on SQLite"
cat "$log"
echo "== PostgreSQL: exit $postgres, SQLite: exit $sqlite_status"
[ "$postgres" -eq 0 ] && [ "$sqlite_status" -eq 0 ]

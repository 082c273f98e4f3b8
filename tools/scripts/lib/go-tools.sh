# Helpers for scripts that build pinned Go programs from the Go module proxy into <repo>/.tools.
# Sourced, not run: the caller sets tools_dir and log_dir first and runs under `set -euo pipefail`.
# Module and build caches are Go's defaults (shared by clones of the repo on one machine); set
# GOMODCACHE/GOCACHE to move them.

if command -v go >/dev/null 2>&1; then
  go_bin="$(command -v go)"
elif [[ -x /usr/local/go/bin/go ]]; then
  go_bin=/usr/local/go/bin/go
else
  echo "the go command is needed (Go >= 1.26); none on PATH or at /usr/local/go/bin/go" >&2
  exit 1
fi

export GOWORK=off GO111MODULE=on GOFLAGS="${GOFLAGS:-} -modcacherw"

# Runs a go command in directory $2 with its chatter in log $1, shown only when it fails.
run_go_in() {
  local log="$1" dir="$2"
  shift 2
  if ! (cd "$dir" && "$go_bin" "$@") >"$log" 2>&1; then
    echo "failed: go $* (in $dir; log $log)" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
}

# Prints the version of module $2 that the Go binary $1 was built from (empty if none).
built_version() {
  [[ -x "$1" ]] || return 0
  "$go_bin" version -m "$1" 2>/dev/null | awk -v mod="$2" '($1 == "mod" || $1 == "dep") && $2 == mod { print $3; exit }'
}

# Prints the directory of module $1 at version $2 in the module cache, downloading it when needed.
module_dir() {
  local log="$log_dir/download-${1//\//_}.log"
  run_go_in "$log" "$tools_dir" mod download -json "$1@$2"
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$log"
}

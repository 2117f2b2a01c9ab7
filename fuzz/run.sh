#!/usr/bin/env bash
# Bounded fuzz run of every target: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# (default 60 s, targets `load` and `analyze`). Needs cargo-fuzz (`cargo install cargo-fuzz
# --locked`); on a stable toolchain RUSTC_BOOTSTRAP=1 lets it pass libFuzzer's -Z flags.
# Seeds: the bundled fixtures, the invalid-input corpus and, when ../shared is present, the AWS
# CLI outputs of ../shared/external (batfish-aws, moto-samples). The corpus grows in
# $FUZZ_WORK (default fuzz/corpus, git-ignored); a crash, timeout or out-of-memory input is left
# in $FUZZ_WORK/artifacts/TARGET/ and the script exits 1: turn it into a fixtures/invalid case.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load analyze)
work="${FUZZ_WORK:-$PWD/corpus}"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"

seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
n=0
add_seed() {
  # Files over 256 KiB are left out: libFuzzer's -max_len below would cut them anyway.
  if [ "$(wc -c < "$1")" -le 262144 ]; then
    n=$((n + 1))
    cp "$1" "$seeds/$(printf '%05d' "$n")-$(basename "$1")"
  fi
}
for f in ../fixtures/*/snapshot.json ../fixtures/*/*/*.json ../fixtures/invalid/*.json; do
  [ -f "$f" ] && [ "$(basename "$f")" != cases.json ] && add_seed "$f"
done
for dir in ../../shared/external/batfish-aws ../../shared/external/moto-samples; do
  if [ -d "$dir" ]; then
    while IFS= read -r f; do add_seed "$f"; done < <(find "$dir" -name '*.json' | sort)
  else
    echo "note: $dir not found; seeding from the fixtures only"
  fi
done
echo "seeds: $n files"

cargo fuzz build --release
status=0
for target in "${targets[@]}"; do
  corpus="$work/$target"
  artifacts="$work/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzzing $target for ${seconds}s"
  if ! cargo fuzz run --release "$target" "$corpus" "$seeds" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -dict=json.dict -artifact_prefix="$artifacts" -print_final_stats=1 2> "$work/$target.log"; then
    status=1
    tail -40 "$work/$target.log"
    echo "FUZZ FINDING in $target: see $artifacts"
  else
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/$target.log" || tail -3 "$work/$target.log"
  fi
done
exit $status

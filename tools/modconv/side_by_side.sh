#!/usr/bin/env bash
# Interleaved side-by-side of the modulated-conv kernels and PyTorch's conv2d (tools/modconv/torch_modconv_bench.py) on
# this machine: for each round and each layer, PyTorch then the engine, each best of --runs; the table takes the best of
# every round for both sides. Interleaving puts both under the same machine load (shared machines drift 2× within minutes).
# Usage: tools/modconv/side_by_side.sh [rounds=3] [runs=5] [batch=1] [layers="b8.conv1 b16.conv1 b32.conv1 b64.conv1 b128.conv1"]
# Needs Debian's python3-torch at /usr/bin/python3 and the bench built: dotnet build bench -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; runs=${2:-5}; batch=${3:-1}
layers=${4:-"b8.conv1 b16.conv1 b32.conv1 b64.conv1 b128.conv1"}
bench=bench/bin/Release/net10.0/My3DGen.Bench.dll
[[ -f $bench ]] || { echo "build the bench first: dotnet build bench -c Release" >&2; exit 2; }
out=$(mktemp -d)
for ((r = 1; r <= rounds; r++)); do
  for l in $layers; do
    /usr/bin/python3 tools/modconv/torch_modconv_bench.py --batches "$batch" --runs "$runs" --filter "$l" | grep "^$l " >> "$out/torch.txt"
    dotnet "$bench" modconv --kernels-only --batches "$batch" --runs "$runs" --filter "$l" | grep "^$l " >> "$out/engine.txt"
  done
done
/usr/bin/python3 - "$out" "$rounds" "$runs" <<'PY'
import re, sys
out, rounds, runs = sys.argv[1], sys.argv[2], sys.argv[3]
torch, eng = {}, {}
for line in open(f"{out}/torch.txt"):
    m = re.match(r"(\S+)\s.*fwd\s+([\d.]+) ms, fwd\+bwd\s+([\d.]+)", line)
    old = torch.get(m[1], (1e30, 1e30))
    torch[m[1]] = (min(old[0], float(m[2])), min(old[1], float(m[3])))
for line in open(f"{out}/engine.txt"):
    cols = line.split("|")
    name, f, b = cols[0].split()[0], float(cols[1].split()[0]), float(cols[2].split()[0])
    old = eng.get(name, (1e30, 1e30))
    eng[name] = (min(old[0], f), min(old[1], b))
print(f"interleaved, {rounds} rounds x best of {runs}, wall ms (engine / PyTorch)")
print("| layer | fwd ms | PyTorch | ratio | fwd+bwd ms | PyTorch | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, (tf, tb) in torch.items():
    ef, eb = eng[name]
    print(f"| {name} | {ef:.1f} | {tf:.1f} | {ef / tf:.2f} | {eb:.1f} | {tb:.1f} | {eb / tb:.2f} |")
PY
rm -rf "$out"

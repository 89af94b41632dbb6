#!/usr/bin/env bash
# Publishes `my3dgen` self-contained as one compressed file for linux-x64 (runs with only a GPU driver installed: no .NET
# SDK or runtime), plus the tiny EG3D fixture beside it (eg3d-fixture/) so `gpu-check` can compare against PyTorch.
# Usage: tools/gpu-check/publish.sh [output-folder]   (default: artifacts/gpu-check). Fails if the binary exceeds 60 MB.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/artifacts/gpu-check}"
limit_mb=60

rm -rf "$out"
dotnet publish "$root/src/My3DGen.Cli/My3DGen.Cli.csproj" -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out"
mkdir -p "$out/eg3d-fixture"
cp "$root/tests/fixtures/eg3d/eg3d-tiny.pkl" "$root/tests/fixtures/eg3d/tiny_seed0_psi0.7_cam1.safetensors" "$out/eg3d-fixture/"

bin="$out/my3dgen"
size_mb=$(( ($(stat -c %s "$bin") + 1048575) / 1048576 ))
echo "published $bin: ${size_mb} MB (limit ${limit_mb} MB); fixture in $out/eg3d-fixture"
if (( size_mb > limit_mb )); then echo "error: $bin is ${size_mb} MB, over ${limit_mb} MB" >&2; exit 1; fi
echo "run on the GPU machine: $bin gpu-check -o gpu-check.json   (or: $bin devices --verbose)"

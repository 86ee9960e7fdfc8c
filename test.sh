#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, runs every test project,
# then runs the SIMD kernel tests again with AVX-512 and with AVX2 switched off.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
scripts/setup-debian.sh --tests
if [ -z "${EDGEFACE_SHARED:-}" ] && [ ! -d ../shared/data ]; then
  echo "error: ../shared not found beside the repository; set EDGEFACE_SHARED to the folder holding data/ and models/" >&2
  exit 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build EdgeFace.sln -c Release --nologo -v q
dotnet test EdgeFace.sln -c Release --no-build --nologo --filter "Category!=Soak" 2>&1 | tee -a "$log"
# The kiosk soak: 30,000 frames through the full loop, resident memory and handles checked after warm-up.
dotnet test Tests/EdgeFace.Camera.Tests -c Release --no-build --nologo --filter "Category=Soak" 2>&1 | tee -a "$log"
# Run-time-selected SIMD kernels: re-run their tests with AVX-512 off, then with AVX2 off, so the
# AVX2 and Vector128 paths are exercised on this machine too.
for isa in EnableAVX512 EnableAVX2; do
  echo "== SIMD kernel tests with DOTNET_$isa=0" >&2
  env "DOTNET_$isa=0" dotnet test Tests/EdgeFace.Trainer.Tests -c Release --no-build --nologo --filter "Category=Kernels|FullyQualifiedName~GradientCheck" 2>&1 | tee -a "$log"
  env "DOTNET_$isa=0" dotnet test Tests/EdgeFace.Enrollment.Tests -c Release --no-build --nologo --filter "FullyQualifiedName~GalleryIndexTests" 2>&1 | tee -a "$log"
  env "DOTNET_$isa=0" dotnet test Tests/EdgeFace.Runtime.Tests -c Release --no-build --nologo --filter "FullyQualifiedName~SimilarityTests|FullyQualifiedName~NchwWriterTests" 2>&1 | tee -a "$log"
done
# One closing line over every run above (pipefail has already stopped the script on a failing run).
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"

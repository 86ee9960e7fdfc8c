#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, runs every test project,
# then runs the Trainer's kernel tests again with AVX-512 and with AVX2 switched off,
# so every run-time-selected kernel path is exercised on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
scripts/setup-debian.sh --tests
if [ -z "${EDGEFACE_SHARED:-}" ] && [ ! -d ../shared/data ]; then
  echo "error: ../shared not found beside the repository; set EDGEFACE_SHARED to the folder holding data/ and models/" >&2
  exit 1
fi
dotnet build EdgeFace.sln -c Release --nologo -v q
dotnet test EdgeFace.sln -c Release --no-build --nologo
for isa in EnableAVX512 EnableAVX2; do
  echo "== Trainer kernel tests with DOTNET_$isa=0" >&2
  env "DOTNET_$isa=0" dotnet test Tests/EdgeFace.Trainer.Tests -c Release --no-build --nologo --filter "Category=Kernels"
done

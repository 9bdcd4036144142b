#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing clawsim need.
# Does nothing (and needs no network) when they are all installed already.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev libboost-graph-dev libeigen3-dev
  libprotobuf-dev protobuf-compiler python3-protobuf python3
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcpp-httplib-dev
  libsqlite3-dev sqlite3 libopenmpi-dev openmpi-bin
  libimgui-dev libglfw3-dev libstb-dev libgl-dev libegl-dev libgl1-mesa-dri libegl-mesa0
  xvfb xauth
  librsvg2-bin
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Build i-PI's Fortran driver (drivers/f90 of the i-PI source) outside this repository, for the
# round-trip comparison of `npm run bench -- round-trip`:
#
#   bench/build-ipi-driver.sh /path/to/i-pi /tmp/ipi-f90
#   IPI_F90_DRIVER=/tmp/ipi-f90/driver.x npm run bench -- round-trip
#
# The i-PI checkout is only read: drivers/f90 is copied into OUT_DIR and built there with its own
# Makefile (gfortran, gcc, make). Nothing of i-PI is copied into anisodrive. Prints the path of
# the binary on success.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 IPI_CHECKOUT OUT_DIR   (e.g. $0 ~/src/i-pi /tmp/ipi-f90)" >&2
  exit 2
fi
src=$1
out=$2
if [ ! -f "$src/drivers/f90/driver.f90" ] || [ ! -f "$src/drivers/f90/Makefile" ]; then
  echo "$0: $src is not an i-PI checkout (no drivers/f90/driver.f90 and Makefile)" >&2
  exit 2
fi
for tool in make gfortran gcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: '$tool' not found; install it (Debian: apt-get install make gfortran gcc)" >&2
    exit 2
  fi
done
mkdir -p "$out"
case "$(cd "$out" && pwd -P)/" in
  "$(cd "$(dirname "$0")/.." && pwd -P)"/*)
    echo "$0: OUT_DIR must be outside the anisodrive repository" >&2
    exit 2
    ;;
esac

rm -rf "$out/f90"
cp -R "$src/drivers/f90" "$out/f90"
# `make driver.x` only: the default target also links ../../bin/i-pi-driver into the checkout.
make -C "$out/f90" -j2 driver.x >"$out/build.log" 2>&1 || {
  echo "$0: build failed; see $out/build.log" >&2
  tail -n 20 "$out/build.log" >&2
  exit 1
}
ln -sf f90/driver.x "$out/driver.x"
echo "$out/driver.x"

#!/usr/bin/env bash
# Makes sure `dnsmasq` is on PATH for the @switchyard/dns real-server test
# (packages/dns/test/dnsmasq.test.ts). The root `test` script runs it first.
# Installs Debian's `dnsmasq-base` (the binary only, no system service), never `dnsmasq`.
set -euo pipefail

if command -v dnsmasq >/dev/null 2>&1; then
  echo "ensure-dnsmasq: found $(command -v dnsmasq)"
  exit 0
fi

fail() {
  echo "ensure-dnsmasq: $1" >&2
  echo "ensure-dnsmasq: the @switchyard/dns tests need dnsmasq; install the Debian package dnsmasq-base (apt-get install dnsmasq-base) and run the tests again." >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "dnsmasq is not on PATH and apt-get is not available to install it."
if [ "$(id -u)" -ne 0 ]; then
  fail "dnsmasq is not on PATH and installing it needs root (this is uid $(id -u))."
fi

echo "ensure-dnsmasq: dnsmasq is not on PATH; running: apt-get update -qq && apt-get install -y -qq dnsmasq-base"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || fail "apt-get update failed."
apt-get install -y -qq dnsmasq-base || fail "apt-get install dnsmasq-base failed."
command -v dnsmasq >/dev/null 2>&1 || fail "dnsmasq-base was installed but dnsmasq is still not on PATH."
echo "ensure-dnsmasq: installed $(command -v dnsmasq) ($(dnsmasq --version | head -n 1))"

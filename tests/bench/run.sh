#!/usr/bin/env bash
# npm run bench: builds the web app, then measures on a private local platform. As root the run happens
# in a network namespace with only loopback, so WebRTC media and all traffic stay on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build:web
# Patient page: summary + first visit page at 3 and 500 visits (REST only, loopback).
npx tsx tests/bench/patient-details.ts
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n bash -c 'ip link set lo up && npx tsx tests/bench/admit-to-first-frame.ts'
fi
exec npx tsx tests/bench/admit-to-first-frame.ts

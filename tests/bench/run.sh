#!/usr/bin/env bash
# npm run bench: builds the web app, then measures on private local platforms (one per script). As root
# the run happens in a network namespace with only loopback, so WebRTC media and all traffic stay on
# this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build:web
benches='npx tsx tests/bench/open-slots.ts && npx tsx tests/bench/admit-to-first-frame.ts'
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n bash -c "ip link set lo up && $benches"
fi
exec bash -c "$benches"

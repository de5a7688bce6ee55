#!/usr/bin/env bash
# npm run bench: builds the web app, then measures on private local platforms. As root each run happens
# in a network namespace with only loopback, so WebRTC media and all traffic stay on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build:web
bench() {
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    unshare -n bash -c "ip link set lo up && npx tsx $1"
  else
    npx tsx "$1"
  fi
}
bench tests/bench/open-slots.ts
bench tests/bench/patient-details.ts
bench tests/bench/admit-to-first-frame.ts
bench tests/bench/lighthouse.ts
bench tests/bench/cold-start.ts
bench tests/bench/ws-frames.ts
# The benches write plain tables; keep the file as `npx prettier --check .` wants it.
npx prettier --write --log-level warn BENCHMARKS.md

#!/usr/bin/env bash
# Start the bot: the action server and Rasa (REST channel), in the foreground.
# Used by `make run`; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}

# Refuse to start on broken knowledge sources or an unreadable database (names the file and `make kb`).
.venv/bin/python -m knowledge --check >/dev/null
.venv/bin/python -m actions.check_knowledge
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/rasa run actions --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)
echo "Rasa REST: http://localhost:$RASA_PORT/webhooks/rest/webhook  (actions on :$ACTION_PORT)"
wait -n "${pids[@]}"

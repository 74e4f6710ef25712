#!/usr/bin/env bash
# Start the bot: the action server, Rasa and the web chat page, in the foreground (Ctrl-C stops all).
# Used by `make run`. Environment:
#   BOT_PROFILE=production   use endpoints.production.yml (PostgreSQL, Redis; see README)
#   RASA_PORT, ACTION_PORT    ports (5005, 5055)
#   WEB_PORT                  the web chat page's port (8000)
#   BOT_CORS_ORIGINS          origins allowed to call Rasa from a browser
#                             (http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT)
#   RASA_API_TOKEN            enables Rasa's HTTP API, only with this token (off when unset)
#   ACTION_HOST               the action server's interface (127.0.0.1: only Rasa on this host
#                             calls it; 0.0.0.0 where Rasa runs elsewhere, behind a firewall)
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
WEB_PORT=${WEB_PORT:-8000}
export BOT_CORS_ORIGINS=${BOT_CORS_ORIGINS:-http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT}
ENDPOINTS=endpoints.yml
if [ "${BOT_PROFILE:-}" = production ]; then
  ENDPOINTS=endpoints.production.yml
  # how long a conversation waits for the lock of a replica that died mid-turn (Rasa: 60 s)
  export TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-15}
fi

# Refuse to start on broken knowledge sources or an unreadable database (names the file and `make kb`).
.venv/bin/python -m knowledge --check >/dev/null
.venv/bin/python -m actions.check_knowledge

# Rasa's --cors takes each origin as its own argument
IFS=', ' read -r -a cors <<< "$BOT_CORS_ORIGINS"

api=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api=(--enable-api --auth-token "$RASA_API_TOKEN"); fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# rasa_sdk reads its interface from SANIC_HOST; the action server has no authentication
SANIC_HOST=${ACTION_HOST:-127.0.0.1} .venv/bin/rasa run actions --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --port "$RASA_PORT" --endpoints "$ENDPOINTS" \
  --credentials credentials.yml --cors "${cors[@]}" "${api[@]}" &
pids+=($!)
.venv/bin/python -m web.serve --port "$WEB_PORT" --rasa-port "$RASA_PORT" &
pids+=($!)
echo "Rasa REST: http://localhost:$RASA_PORT/webhooks/rest/webhook  (actions on :$ACTION_PORT, $ENDPOINTS)"
echo "Web chat:  http://localhost:$WEB_PORT/  (socket.io on :$RASA_PORT)"
wait -n "${pids[@]}"

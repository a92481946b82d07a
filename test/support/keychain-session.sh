#!/usr/bin/env bash
# Runs inside dbus-run-session: starts an unlocked gnome-keyring Secret Service, prints the
# bus address, then waits until its parent closes standard input and stops the daemon.
set -uo pipefail
printf '%s' "${POSTHORN_TEST_KEYRING_PASSWORD:-posthorn-test-keyring}" \
  | gnome-keyring-daemon --foreground --unlock --components=secrets >"${XDG_RUNTIME_DIR}/keyring.log" 2>&1 &
keyring_pid=$!
ready=0
for _ in $(seq 1 200); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    ready=1
    break
  fi
  if ! kill -0 "$keyring_pid" 2>/dev/null; then break; fi
  sleep 0.05
done
if [ "$ready" != 1 ]; then
  echo "KEYRING_FAILED $(tr '\n' ' ' <"${XDG_RUNTIME_DIR}/keyring.log")"
  kill "$keyring_pid" 2>/dev/null
  exit 1
fi
echo "DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS}"
echo "READY"
cat >/dev/null
kill "$keyring_pid" 2>/dev/null
wait "$keyring_pid" 2>/dev/null
exit 0

# Helpers for tests that run Xapian servers on 127.0.0.1: free ports, start, wait, always stop.
# Source after lib.sh. Every server started here is killed when the script exits.
# Servers run in their own process group (setsid): xapian-tcpsrv, on SIGTERM, signals its whole
# group, which would otherwise include this script. stop_server PID stops one (and its children).
SERVER_PIDS=()
stop_server() {
  kill -CONT -- "-$1" 2>/dev/null || true
  kill -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_servers() {
  local p
  for p in "${SERVER_PIDS[@]}"; do stop_server "$p"; done
  SERVER_PIDS=()
}
trap stop_servers EXIT
# free_port: a TCP port nobody listens on now (the kernel picks it).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# wait_port PORT: until something accepts connections on 127.0.0.1:PORT (10 s at most).
wait_port() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "nothing listens on 127.0.0.1:$1 after 10 s"
}
# start_server VAR CMD...: starts a server whose command line holds @PORT@ (replaced by a free port),
# retrying with another port if that one was taken meanwhile; sets VAR to the port and
# LAST_PID to the process id.
start_server() {
  local var=$1; shift
  local attempt port pid args
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    args=("${@//@PORT@/$port}")
    setsid "${args[@]}" >"$T/server-$port.log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    # Watchdog: if this script is killed (ctest's timeout sends SIGKILL, so no trap runs), stop
    # the server anyway, within a second. Its output goes nowhere, so ctest never waits on it.
    ( trap '' TERM INT; while kill -0 $$ 2>/dev/null; do sleep 1; done
      kill -CONT -- "-$pid" 2>/dev/null; kill -- "-$pid" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
    local i
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        printf -v "$var" '%s' "$port"; LAST_PID=$pid; return 0
      fi
      sleep 0.1
    done
    stop_server "$pid"
  done
  cat "$T"/server-*.log >&2
  fail "could not start: $*"
}

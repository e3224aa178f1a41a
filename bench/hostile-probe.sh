#!/usr/bin/env bash
# Hostile-input probe, the slow end-to-end tier of issue 11 (the fast tier is the JUnit tests tagged
# hostile: ./mvnw verify -Dgroups=hostile). Drives the real ./quarry launcher (built on first use)
# against hostile trees, servers and clients, and checks what the issue demands of each item.
# Usage: bench/hostile-probe.sh [-l] [CASE...]
#   no CASE: every case; -l: list the cases. Each check prints 'PASS|FAIL|SKIP|INFO item N: ...';
#   exit 0 only when none failed. About 4-5 minutes on 2 cores. Needs bash, coreutils, python3 and
#   a JDK; installs nothing, talks to loopback only. Items 3 (setpriv) and 4 (a tmpfs) need root
#   and are skipped without it. Every command is bounded by a timeout, so a regression that hangs
#   fails its case instead of hanging the probe. QUARRY_* variables of the caller are ignored (each
#   case says what it sets); HOSTILE_PROBE_KEEP=1 keeps the work folder for a post-mortem.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
QUARRY=$REPO/quarry

usage() { echo "usage: bench/hostile-probe.sh [-l] [CASE...]   (-l lists the cases)" >&2; exit 2; }

# name, issue item, what it checks (in run order)
CASES=(
  "big-file|1|50 MB one-line file and 50 MB log: refused under the default heap, indexed with the heap it names"
  "fifo-swap|2|files swapped for FIFOs during a run: the run ends, the next succeeds (3 times)"
  "owner-only|3|.quarry and the disk cache are owner-only; another user cannot list the index (root)"
  "disk-full-embed|4|disk full while embedding: exit 4, one-line error, no JVM crash log (root: tmpfs)"
  "thread-bomb|5|QUARRY_WORKERS=100000 (and the other thread settings) refused with the limit"
  "hostile-redis|6|a Redis answering MGET with a 2^31 array or a 2 GB bulk: run goes on, warns"
  "redis-trust|7|entries damaged in a real Redis are not served (only where redis-server is installed)"
  "serve-open|8|serve --host 0.0.0.0: refused without a token; with one, 401 without it, 200 with it"
  "escapes|9|ESC/BEL/C1/CR/LF in names and content never reach the terminal raw; files one line each"
  "serve-cross-site|10|serve refuses text/plain POST (415), a foreign Host (421), a foreign Origin (403)"
  "long-query|11|a 5,000-distinct-word query, lexical and hybrid"
  "sync-z|12|newline-separated input to sync --stdin -z: exit 1, says to drop -z"
  "check-after-kill|13|kill -9 after a commit, quarry check: the killed run shows as interrupted"
  "first-run|14|a first run before its first commit: sync, status, semantic search say so"
  "symlink-stale|15|--follow-symlinks: a hit through a link is stale only once its target changed"
  "slow-loris|16|serve drops incomplete and trickled requests within 45 s, answers others meanwhile"
  "pdf-bomb|17|a PDF whose content never ends: skipped with the time-limit reason within ~60 s"
  "config-bom|18|a config file starting with a UTF-8 BOM is read"
  "read-only-launcher|19|(JUnit: LauncherTest)"
)
declare -A ITEM_OF=()
ORDER=()
for entry in "${CASES[@]}"; do
  IFS='|' read -r name item _ <<<"$entry"
  ITEM_OF[$name]=$item
  ORDER+=("$name")
done

selected=()
for arg in "$@"; do
  case "$arg" in
    -l)
      for entry in "${CASES[@]}"; do
        IFS='|' read -r name item what <<<"$entry"
        printf '%-20s item %-3s %s\n' "$name" "$item" "$what"
      done
      exit 0 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ -n "${ITEM_OF[$arg]:-}" ] || { echo "hostile-probe: no case '$arg' (-l lists them)" >&2; exit 2; }
       selected+=("$arg") ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${ORDER[@]}")

# --- isolation: no caller settings, no user config, a disk cache of our own ----------------------
while IFS='=' read -r var _; do unset "$var"; done < <(env | grep -E '^QUARRY_[A-Z_]*=' || true)
umask 022 # the owner-only check must not pass thanks to a strict umask
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hostile-probe.XXXXXX")
chmod 755 "$WORK" # item 3: another user must be stopped by .quarry's own mode, not by ours
PIDS=$WORK/pids MOUNTS=$WORK/mounts RESULTS=$WORK/results
: >"$PIDS"; : >"$MOUNTS"; : >"$RESULTS"
: >"$WORK/empty.properties"
export QUARRY_CONFIG=$WORK/empty.properties QUARRY_CACHE_DIR=$WORK/cache

kill_registered() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
    kill -CONT "$pid" 2>/dev/null || true # a SIGSTOPped run would never act on SIGTERM
    kill -TERM "$pid" 2>/dev/null || true
  done <"$PIDS"
  local deadline=$((SECONDS + 10))
  while read -r pid; do
    [ -n "$pid" ] || continue
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done <"$PIDS"
  : >"$PIDS"
}
unmount_registered() {
  local dir
  while read -r dir; do
    [ -n "$dir" ] && mountpoint -q "$dir" 2>/dev/null && { umount "$dir" 2>/dev/null || umount -l "$dir" || true; }
  done <"$MOUNTS"
  : >"$MOUNTS"
}
cleanup() {
  kill_registered
  unmount_registered
  if [ "${HOSTILE_PROBE_KEEP:-0}" = 1 ]; then echo "hostile-probe: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
kill_case() { # the running case's process group: SIGTERM (quarry stops gracefully), then SIGKILL
  [ -n "${CASE_PID:-}" ] || return 0
  kill -TERM -- "-$CASE_PID" 2>/dev/null || return 0
  kill -CONT -- "-$CASE_PID" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 -- "-$CASE_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -KILL -- "-$CASE_PID" 2>/dev/null || true
  wait "$CASE_PID" 2>/dev/null || true
}
interrupted() {
  trap '' INT TERM
  echo "hostile-probe: interrupted" >&2
  kill_case 2>/dev/null # (and no job notice from bash)
  exit "$1"
}
CASE_PID=
set -m # job control: each case a process group of its own
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

# --- helpers for the cases ------------------------------------------------------------------------
report() { # report VERDICT TEXT: one result line, also kept for the summary
  local line
  line="$1 item $ITEM: $(printf '%s' "$2" | LC_ALL=C tr '\000-\037\177' '?')"
  echo "$line"
  echo "$line" >>"$RESULTS"
}
pass() { report PASS "$CASE: $1"; }
fail() { report FAIL "$CASE: $1 ($2)"; }
skip() { report SKIP "$1"; }
info() { report INFO "$1"; }
check() { # check WHAT WHY CMD...: PASS when CMD succeeds, else FAIL with WHY
  local what=$1 why=$2; shift 2
  if "$@"; then pass "$what"; else fail "$what" "$why"; fi
}

q() { # q SECS OUT ERR ARGS...: runs ./quarry bounded in time; sets RC (124: it ran too long)
  local secs=$1 out=$2 err=$3; shift 3
  RC=0
  timeout --foreground -k 5 "$secs" "$QUARRY" "$@" >"$out" 2>"$err" || RC=$?
}
spawn() { # spawn OUT ERR CMD...: starts CMD in the background; sets BG (its pid; ./quarry execs java)
  local out=$1 err=$2; shift 2
  "$@" >"$out" 2>"$err" &
  BG=$!
  echo "$BG" >>"$PIDS"
}
alive() { # alive PID: running, not a zombie waiting for us
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
await() { # await PID SECS: waits for a background process; sets RC (124: still running, so killed)
  local pid=$1 deadline=$((SECONDS + $2))
  while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  if alive "$pid"; then
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    sleep 3
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    RC=124
    return 0
  fi
  RC=0
  wait "$pid" 2>/dev/null || RC=$?
}
wait_until() { # wait_until SECS CMD...: polls CMD every 0.1 s; fails when SECS pass first
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}
errtext() { # errtext FILE: what quarry said, without the JVM's incubator warning, shortened
  grep -v 'WARNING: Using incubator modules' "$1" 2>/dev/null | head -c 300 | tr '\n' ' ' || true
}
err_lines() { grep -v 'WARNING: Using incubator modules' "$1" | grep -c . || true; }
jget() { # jget FILE EXPR: EXPR over the JSON in FILE (bound to d); prints nothing if it cannot
  python3 - "$1" "$2" 2>/dev/null <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)
PY
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready_or_dead() { port_open "$1" || ! alive "$2"; }
mktree() { # mktree DIR DIRS FILES_PER_DIR LINES: distinct small text files (seeded)
  python3 - "$@" <<'PY'
import os, random, sys
root, dirs, files, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(11)
vocab = ("river stone cache vector thread commit search index token lucene model query batch "
         "stream buffer lock hash rank score path glob parse config user server client").split()
for d in range(dirs):
    os.makedirs(f"{root}/d{d}", exist_ok=True)
    for f in range(files):
        with open(f"{root}/d{d}/f{f}.txt", "w") as out:
            for _ in range(lines):
                out.write(" ".join(rng.choice(vocab) + str(rng.randint(0, 99)) for _ in range(12)) + "\n")
PY
}
start_serve() { # start_serve PORT ARGS...: quarry serve --embeddings in the background, ready; sets BG
  local port=$1; shift
  spawn serve.out serve.err "$QUARRY" serve --embeddings --port "$port" "$@"
  wait_until 90 ready_or_dead "$port" "$BG" && port_open "$port"
}
stop() { # stop PID: SIGTERM, then wait (bounded)
  kill -TERM "$1" 2>/dev/null || true
  await "$1" 30
}

# --- the cases (each runs in its own folder, in a subshell) --------------------------------------

case_big_file() {
  # Item 1: a 50 MB one-line file and a 50 MB log. Under the launcher's default heap a 64 MiB cap
  # is refused up front (exit 2) naming the heap it needs; with that heap both are indexed.
  mkdir tree
  python3 - tree <<'PY'
import sys
size = 50 << 20
with open(sys.argv[1] + "/oneline.txt", "w") as f:
    f.write(("lorem ipsum dolor sit amet " * (size // 27 + 1))[:size])
with open(sys.argv[1] + "/app.log", "w") as f:
    n = i = 0
    while n < size:
        line = f"2024-01-01 12:00:{i % 60:02d} INFO request {i} handled by worker {i % 7} in {i % 300} ms\n"
        f.write(line); n += len(line); i += 1
PY
  q 60 out1 err1 index tree --no-embed --max-file-size 64MiB -q
  local heap
  heap=$(grep -o 'QUARRY_HEAP=[0-9]*[kKmMgG]' err1 | head -1 | cut -d= -f2 || true)
  if [ "$RC" = 2 ] && [ -n "$heap" ]; then
    pass "default heap refuses --max-file-size 64MiB (exit 2, names QUARRY_HEAP=$heap)"
  else
    fail "default heap refuses --max-file-size 64MiB" "exit $RC, no QUARRY_HEAP=... named: $(errtext err1)"
    heap=512m
  fi
  QUARRY_HEAP=$heap q 180 out2.json err2 index tree --no-embed --max-file-size 64MiB -q --json
  local indexed failed listed
  indexed=$(jget out2.json "d['files']['indexed']")
  failed=$(jget out2.json "d['files']['failed']")
  QUARRY_HEAP=$heap q 60 files.json files.err files --index tree --json
  listed=$(jget files.json "sorted(f['path'] for f in d)")
  if [ "$RC" = 0 ] && [ "$indexed" = 2 ] && [ "$failed" = 0 ] && [ "$listed" = '["app.log", "oneline.txt"]' ]; then
    pass "QUARRY_HEAP=$heap: both 50 MB files indexed (exit 0)"
  else
    fail "QUARRY_HEAP=$heap: both 50 MB files indexed" "exit $RC, indexed ${indexed:-?}, failed ${failed:-?}, files $listed: $(errtext err2)"
  fi
  QUARRY_HEAP=$heap q 120 out3.json err3 index tree --no-embed --max-file-size 64MiB -q --json
  local unchanged
  indexed=$(jget out3.json "d['files']['indexed']")
  unchanged=$(jget out3.json "d['files']['unchanged']")
  check "rerun is a no-op (exit 0, 2 unchanged)" "exit $RC, indexed ${indexed:-?}, unchanged ${unchanged:-?}: $(errtext err3)" \
    test "$RC" = 0 -a "$indexed" = 0 -a "$unchanged" = 2
}

case_fifo_swap() {
  # Item 2: files replaced by FIFOs of the same name while a run reads them (rm f; mkfifo f, in
  # random order, about one every 2 ms while the run lasts). A run that opens a FIFO blocking
  # would wait forever for a writer.
  cat >swapper.py <<'PY'
import os, random, sys, time
root, stop = sys.argv[1], sys.argv[2]
paths = [os.path.join(d, f) for d, _, fs in os.walk(root) if ".quarry" not in d for f in fs]
random.Random(2).shuffle(paths)
swapped = 0
for p in paths:
    if os.path.exists(stop):
        break
    os.unlink(p); os.mkfifo(p); swapped += 1
    time.sleep(0.002)
print(swapped)
PY
  local round ok=1 why="" swapped=0
  for round in 1 2 3; do
    rm -rf tree stop && mktree tree 30 100 3
    spawn "index$round.out" "index$round.err" "$QUARRY" index tree --no-embed --workers 2 -q
    local run=$BG
    spawn "swapped$round" swap.err python3 swapper.py tree stop
    local swapper=$BG
    await "$run" 120
    local first=$RC
    touch stop
    await "$swapper" 30
    swapped=$((swapped + $(cat "swapped$round" 2>/dev/null || echo 0)))
    q 120 "again$round.out" "again$round.err" index tree --no-embed --workers 2 -q
    local second=$RC
    if [ "$first" = 124 ]; then
      ok=0 why+="round $round: the run was still going after 120 s (hung); "
    elif [ "$first" != 0 ] && [ "$first" != 1 ]; then
      ok=0 why+="round $round: run exit $first: $(errtext "index$round.err"); "
    fi
    [ "$second" = 0 ] || { ok=0 why+="round $round: second run exit $second: $(errtext "again$round.err"); "; }
    [ $ok = 1 ] || break
  done
  check "3 rounds of swapping files for FIFOs during a run ($swapped swapped): each run ends (exit 0/1), the next succeeds" \
    "$why" test $ok = 1
}

case_owner_only() {
  # Item 3: the index and the disk cache hold the text of files their owner may keep private:
  # owner-only (0700 folders, 0600 files), whatever the umask (022 here).
  chmod 755 .
  mkdir tree
  echo "salary table: restricted content" >tree/secret.txt
  echo "ordinary notes" >tree/notes.txt
  QUARRY_CACHE_DIR=$PWD/cache q 120 out err index tree -q
  [ "$RC" = 0 ] || { fail "index with embeddings" "exit $RC: $(errtext err)"; return 0; }
  local mode loose
  mode=$(stat -c %a tree/.quarry)
  loose=$(find tree/.quarry -mindepth 1 -perm /077 -printf '%m %P, ' | head -c 200)
  check ".quarry is 700 and nothing in it is group/other accessible" ".quarry is $mode; $loose" \
    test "$mode" = 700 -a -z "$loose"
  if [ -d cache ]; then
    mode=$(stat -c %a cache)
    loose=$(find cache -mindepth 1 -perm /077 -printf '%m %P, ' | head -c 200)
    check "the disk cache is 700 and nothing in it is group/other accessible" "cache is $mode; $loose" \
      test "$mode" = 700 -a -z "$loose"
  else
    fail "the disk cache is owner-only" "no disk cache was created at $PWD/cache"
  fi
  if [ "$(id -u)" != 0 ]; then
    skip "owner-only: another user listing .quarry: needs root"
  elif ! command -v setpriv >/dev/null; then
    skip "owner-only: another user listing .quarry: no setpriv"
  elif setpriv --reuid=65534 --regid=65534 --clear-groups ls tree/.quarry >nobody.out 2>&1; then
    fail "user 65534 cannot list .quarry" "it listed: $(head -c 150 nobody.out | tr '\n' ' ')"
  else
    pass "user 65534 cannot list .quarry"
  fi
}

case_disk_full_embed() {
  # Item 4: the index on a 4 MiB tmpfs. The tree's text takes ~1.5 MB of index, its text and
  # vectors ~6.5 MB, so the disk fills while the model is embedding (~30-90 s of work on 2
  # cores), whatever the timing of commits and merges. The store fails while the model runs: exit 4
  # with the documented one-line message, not a JVM crash (exit 134, hs_err_pid*.log).
  if [ "$(id -u)" != 0 ]; then skip "disk-full-embed: needs root (mounts a tmpfs)"; return 0; fi
  mkdir mnt
  if ! mount -t tmpfs -o size=4m tmpfs mnt 2>mount.err; then
    skip "disk-full-embed: cannot mount a tmpfs: $(head -c 150 mount.err)"
    return 0
  fi
  echo "$PWD/mnt" >>"$MOUNTS"
  mktree tree 6 10 240 # ~2,000 distinct chunks
  spawn out err "$QUARRY" index tree --index mnt/idx --cache-dir off --commit-interval 2s -q
  local run=$BG
  await "$run" 150
  local rc=$RC crash
  crash=$(ls hs_err_pid*.log 2>/dev/null | head -1 || true)
  check "exit 4 (not 134) when the disk fills during embedding" "exit $rc: $(errtext err)" test "$rc" = 4
  local lines
  lines=$(err_lines err)
  if grep -q 'No space left on device' err && [ "$lines" = 1 ]; then
    pass "one-line error naming 'No space left on device'"
  else
    fail "one-line error naming 'No space left on device'" \
      "$lines lines on stderr; first: $(grep -v 'WARNING: Using incubator' err | head -1 | head -c 150); last: $(tail -1 err | head -c 150)"
  fi
  check "no hs_err_pid*.log in the working directory" "found $crash" test -z "$crash"
  umount mnt 2>/dev/null || umount -l mnt || true
}

case_thread_bomb() {
  # Item 5: thread settings have a bound; 100000 of anything is refused at once, naming the limit.
  mkdir t && echo hello >t/a.txt
  local var ok=1 why=""
  for var in QUARRY_WORKERS QUARRY_THREADS QUARRY_SCAN_THREADS; do
    env "$var=100000" timeout --foreground -k 5 10 "$QUARRY" index t --no-embed -q >out 2>err && RC=0 || RC=$?
    if [ "$RC" != 2 ] || ! grep -qi 'limit' err; then ok=0 why+="$var: exit $RC: $(errtext err); "; fi
  done
  check "QUARRY_WORKERS/THREADS/SCAN_THREADS=100000: exit 2 within 10 s naming the limit" "$why" test $ok = 1
}

case_hostile_redis() {
  # Item 6: a fake Redis that answers every command as Redis would, but MGET with a header that
  # claims 2^31-1 elements (or a 2 GB bulk string) and then streams filler. The run must not
  # allocate what the header claims: it reports the shared cache once and goes on without it.
  cat >fake_redis.py <<'PY'
import socket, sys, threading
variant, portfile, logfile = sys.argv[1], sys.argv[2], sys.argv[3]
log = open(logfile, "a", buffering=1)

def read_command(f):
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return line.split()
    args = []
    for _ in range(int(line[1:])):
        n = int(f.readline()[1:])
        args.append(f.read(n + 2)[:-2])
    return args

def serve(conn):
    f = conn.makefile("rb")
    try:
        while True:
            cmd = read_command(f)
            if not cmd:
                return
            name = cmd[0].upper()
            log.write(" ".join(a.decode(errors="replace") for a in cmd) + "\n")
            if name == b"PING":
                conn.sendall(b"+PONG\r\n")
            elif name == b"HELLO":  # what Redis 7 answers to HELLO 2
                conn.sendall(b"*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n"
                             b"$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
                             b"$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n")
            elif name == b"MGET":
                if variant == "array":
                    conn.sendall(b"*2147483647\r\n")
                    filler = b"$1\r\nx\r\n" * 8192
                else:
                    conn.sendall(b"*%d\r\n$2000000000\r\n" % (len(cmd) - 1))
                    filler = b"x" * 65536
                for _ in range(512):  # up to 32 MiB more, until the client hangs up
                    conn.sendall(filler)
                return
            elif name in (b"GET",):
                conn.sendall(b"$-1\r\n")
            elif name in (b"EXISTS", b"DEL", b"EXPIRE", b"PEXPIRE"):
                conn.sendall(b":0\r\n")
            else:  # SET, AUTH, SELECT, CLIENT ...
                conn.sendall(b"+OK\r\n")
    except OSError:
        pass
    finally:
        conn.close()

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(16)
with open(portfile + ".tmp", "w") as p:
    p.write(str(server.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = server.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
  local variant
  for variant in array bulk; do
    mkdir "tree-$variant"
    local i
    for i in 1 2 3; do echo "$variant cache entry number $i about retry policies" >"tree-$variant/f$i.txt"; done
    spawn "redis-$variant.out" "redis-$variant.err" python3 fake_redis.py "$variant" "port-$variant" "log-$variant"
    wait_until 20 test -s "port-$variant" || { fail "$variant: fake Redis" "it did not start: $(head -c 200 "redis-$variant.err")"; continue; }
    q 120 "out-$variant.json" "err-$variant" index "tree-$variant" --cache-dir off \
      --cache-redis "redis://127.0.0.1:$(cat "port-$variant")" -q --json
    local indexed
    indexed=$(jget "out-$variant.json" "d['files']['indexed']")
    if ! grep -q MGET "log-$variant" 2>/dev/null; then
      fail "MGET answered with a huge $variant header" "the fake Redis never got an MGET (commands: $(sort -u "log-$variant" 2>/dev/null | tr '\n' ' '))"
    elif [ "$RC" = 0 ] && [ "$indexed" = 3 ] && grep -i warning "err-$variant" | grep -qiE 'redis|shared cache'; then
      pass "MGET answered with a huge $variant header: exit 0, 3 files indexed, a warning about the Redis tier"
    else
      fail "MGET answered with a huge $variant header" "exit $RC, indexed ${indexed:-?}: $(errtext "err-$variant")"
    fi
    kill "$BG" 2>/dev/null || true
  done
}

case_redis_trust() {
  # Item 7 is covered by RedisTierHostileTest (JUnit, a real redis-server). Where redis-server is
  # installed, one end-to-end look too: entries damaged in the shared Redis are not served.
  if ! command -v redis-server >/dev/null; then
    info "redis-trust: no redis-server here; see RedisTierHostileTest (./mvnw verify -Dgroups=hostile)"
    return 0
  fi
  local port
  port=$(free_port)
  spawn redis.out redis.err redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no
  local redis=$BG
  wait_until 20 port_open "$port" || { fail "redis-server starts" "$(head -c 200 redis.out)"; return 0; }
  mkdir first second
  local i
  for i in 1 2 3; do
    echo "shared cache entry $i: vectors a neighbour may have forged" >"first/f$i.txt"
    cp "first/f$i.txt" second/
  done
  q 120 first.json first.err index first --cache-dir off --cache-redis "redis://127.0.0.1:$port" -q --json
  [ "$RC" = 0 ] || { fail "index filling the shared cache" "exit $RC: $(errtext first.err)"; return 0; }
  local damaged embedded
  damaged=$(python3 - "$port" <<'PY'
import socket, sys
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
replies = sock.makefile("rb")
def reply():
    line = replies.readline()
    kind, rest = line[:1], line[1:-2]
    if kind == b"*":
        return [reply() for _ in range(int(rest))]
    if kind == b"$":
        return None if int(rest) < 0 else replies.read(int(rest) + 2)[:-2]
    return rest
def command(*args):
    sock.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
    return reply()
damaged = 0
for key in command(b"KEYS", b"*"):
    value = bytearray(command(b"GET", key))
    value[-1] ^= 0xFF  # one flipped byte of the vector: what a careless or hostile writer leaves
    command(b"SET", key, bytes(value), b"KEEPTTL")
    damaged += 1
print(damaged)
PY
  ) || damaged=0
  q 120 second.json second.err index second --cache-dir off --cache-redis "redis://127.0.0.1:$port" -q --json
  embedded=$(jget second.json "d['chunks']['embedded']")
  check "$damaged entries damaged in a real Redis are not served: vectors computed again, a warning" \
    "exit $RC, ${embedded:-?} embedded: $(errtext second.err)" \
    bash -c "[ $RC = 0 ] && [ '${damaged:-0}' -ge 1 ] && [ '$embedded' = 3 ] && grep -qi 'integrity' second.err"
  stop "$redis"
}

case_serve_open() {
  # Item 8: an address other than loopback needs a token; with one, every request must carry it.
  local port token
  port=$(free_port)
  q 30 open.out open.err serve --embeddings --host 0.0.0.0 --port "$port"
  check "--host 0.0.0.0 without a token: exit 2 within 30 s" "exit $RC: $(errtext open.err)" test "$RC" = 2
  token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  port=$(free_port)
  if ! QUARRY_SERVE_TOKEN=$token start_serve "$port" --host 0.0.0.0; then
    fail "--host 0.0.0.0 with QUARRY_SERVE_TOKEN starts" "not listening after 90 s: $(errtext serve.err)"
    return 0
  fi
  local server=$BG got
  got=$(python3 - "$port" "$token" <<'PY'
import http.client, json, sys
port, token = int(sys.argv[1]), sys.argv[2]
def status(method, path, headers, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse(); r.read(); c.close()
    return r.status
auth = {"Authorization": "Bearer " + token}
body = json.dumps({"input": "hello"})
print(status("GET", "/v1/models", {}),
      status("POST", "/v1/embeddings", {"Content-Type": "application/json"}, body),
      status("GET", "/v1/models", auth),
      status("POST", "/v1/embeddings", dict(auth, **{"Content-Type": "application/json"}), body))
PY
  ) || got="error"
  check "with a token: 401 without the bearer token, 200 with it" "GET/POST without, GET/POST with: $got" \
    test "$got" = "401 401 200 200"
  stop "$server"
}

case_escapes() {
  # Item 9: names and content with terminal escapes (OSC title, OSC 52 clipboard, CSI clear, C1
  # CSI, BEL, CR) and a newline in a name: human output shows them escaped, files one line each.
  mkdir tree
  python3 - tree <<'PY'
import os, sys
root = sys.argv[1].encode()
files = {
    b"evil\x1b]0;pwned\x07.txt": b"pwned title \x1b]0;pwned\x07 clip \x1b]52;c;ZWNobyBwd25lZA==\x07 end\npwned again\n",
    b"clear\x1b[2J.txt": b"pwned \x1b[2J\x1b[H screen cleared\n",
    b"two\nlines.txt": b"pwned newline in the name\n",
    b"cr\rname.txt": b"pwned carriage\rreturn\n",
    b"c1\xc2\x9b2J.txt": "pwned c1 \u009b2J csi\n".encode(),
    b"plain.txt": b"pwned plain\n",
}
for name, content in files.items():
    with open(os.path.join(root, name), "wb") as f:
        f.write(content)
PY
  q 60 index.out index.err index tree --no-embed
  local indexrc=$RC
  q 60 files.out files.err files --index tree
  local filesrc=$RC
  q 60 search.out search.err search pwned --mode lexical -k 20 --index tree
  local searchrc=$RC raw
  raw=$(python3 - index.out index.err files.out files.err search.out search.err <<'PY'
import sys
bad = {b"\x1b": "ESC", b"\x07": "BEL", b"\r": "CR", b"\xc2\x9b": "C1 CSI"}
found = []
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    found += [f"{what} in {path}" for byte, what in bad.items() if byte in data]
print(", ".join(found))
PY
  )
  check "index, files and search print no raw ESC, BEL, CR or C1" "$raw; exits $indexrc/$filesrc/$searchrc" \
    test -z "$raw" -a "$indexrc" = 0 -a "$filesrc" = 0 -a "$searchrc" = 0
  local lines hits
  lines=$(grep -c . files.out || true)
  check "files prints one line per file (6 files)" "$lines lines: $(head -c 300 files.out | tr '\n' '|')" test "$lines" = 6
  hits=$(grep -c '^[^ ].*:[0-9]' search.out || true)
  check "search finds the hostile files (their hits shown escaped)" "$hits hits: $(errtext search.err)" test "$hits" -ge 5
}

case_serve_cross_site() {
  # Item 10: a web page may send "simple" cross-site requests to a loopback server: a POST that
  # is not application/json, a rebinding Host, a foreign Origin are refused; a plain client is not.
  local port got
  port=$(free_port)
  start_serve "$port" || { fail "serve starts" "not listening after 90 s: $(errtext serve.err)"; return 0; }
  local server=$BG
  got=$(python3 - "$port" <<'PY'
import http.client, json, sys
port = int(sys.argv[1])
body = json.dumps({"input": "hello"})
def status(method, path, headers, body=None, host=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest(method, path, skip_host=host is not None)
    if host is not None:
        c.putheader("Host", host)
    for k, v in headers.items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body.encode() if body is not None else None)
    r = c.getresponse(); r.read(); c.close()
    return r.status
print(status("POST", "/v1/embeddings", {"Content-Type": "application/json"}, body),
      status("POST", "/v1/embeddings", {"Content-Type": "text/plain"}, body),
      status("GET", "/v1/models", {}, host="evil.example"),
      status("POST", "/v1/embeddings", {"Content-Type": "application/json"}, body, host="evil.example"),
      status("GET", "/v1/models", {"Origin": "http://evil.example"}),
      status("POST", "/v1/embeddings", {"Content-Type": "application/json", "Origin": "http://evil.example"}, body))
PY
  ) || got=error
  local -a s=($got)
  check "a JSON POST from a plain client gets 200" "got ${s[0]:-$got}" test "${s[0]:-}" = 200
  check "a text/plain POST gets 415" "got ${s[1]:-$got}" test "${s[1]:-}" = 415
  check "Host: evil.example gets 421 (GET and POST)" "got ${s[2]:-$got} ${s[3]:-}" test "${s[2]:-} ${s[3]:-}" = "421 421"
  check "Origin: http://evil.example gets 403 (GET and POST)" "got ${s[4]:-$got} ${s[5]:-}" test "${s[4]:-} ${s[5]:-}" = "403 403"
  stop "$server"
}

case_long_query() {
  # Item 11: a pasted wall of text (5,000 distinct words) must not trip Lucene's clause limit.
  mkdir tree
  local i
  for i in 1 2 3; do echo "retry policy number $i: exponential backoff with jitter" >"tree/f$i.txt"; done
  q 120 index.out index.err index tree -q
  [ "$RC" = 0 ] || { fail "index with embeddings" "exit $RC: $(errtext index.err)"; return 0; }
  python3 -c 'print(" ".join(["retry"] + ["w%d" % i for i in range(5000)]))' >query.txt
  local mode hits
  for mode in lexical hybrid; do
    q 60 "$mode.json" "$mode.err" search "$(cat query.txt)" --mode "$mode" --index tree --json
    hits=$(jget "$mode.json" "len(d['hits'])")
    check "5,000-word query, $mode: exit 0 with hits" "exit $RC, ${hits:-no} hits: $(errtext "$mode.err")" \
      test "$RC" = 0 -a "${hits:-0}" -ge 1
  done
}

case_sync_z() {
  # Item 12: a newline-separated list given with -z used to do nothing and exit 0.
  mkdir tree && echo a >tree/a.txt && echo b >tree/b.txt
  q 60 index.out index.err index tree --no-embed -q
  [ "$RC" = 0 ] || { fail "index" "exit $RC: $(errtext index.err)"; return 0; }
  printf 'a.txt\nb.txt\n' >list
  q 60 sync.out sync.err sync --stdin -z --index tree <list
  check "newline-separated input with -z: exit 1, says to drop -z" "exit $RC: $(errtext sync.err)" \
    bash -c "[ $RC = 1 ] && grep -q 'drop -z' sync.err"
}

case_check_after_kill() {
  # Item 13: kill -9 a run once it has committed, run quarry check, then the run history must show
  # the killed run as interrupted (at the latest once the next index has run).
  mktree tree 100 200 3 # 20,000 small files: several seconds of run
  spawn run.out run.err "$QUARRY" index tree --no-embed --commit-interval 1s -q
  local run=$BG
  if ! wait_until 120 bash -c 'ls tree/.quarry 2>/dev/null | grep -qE "^segments_([2-9]|[1-9][0-9]+)$" && grep -q "^runId=" tree/.quarry/quarry.lock'; then
    await "$run" 1
    fail "kill -9 after a commit" "no commit seen (run exit $RC): $(errtext run.err)"
    return 0
  fi
  local id
  id=$(sed -n 's/^runId=//p' tree/.quarry/quarry.lock)
  if ! alive "$run"; then
    await "$run" 1
    fail "kill -9 after a commit" "the run ended (exit $RC) before it could be killed: a larger tree is needed"
    return 0
  fi
  { kill -KILL "$run"; await "$run" 30; } 2>/dev/null # (no 'Killed' notice from bash)
  q 120 check.out check.err check --index tree
  local checkrc=$RC
  check "quarry check after kill -9 ends (exit 0 or 1)" "exit $checkrc: $(errtext check.err)" \
    bash -c "[ $checkrc = 0 ] || [ $checkrc = 1 ]"
  # The killed run's id is the one its lock record gave; the runs listed as 'id:status'.
  local listed1 listed2 when="after check"
  q 60 runs1.json runs1.err runs --index tree --json
  listed1=$(jget runs1.json "' '.join('%s:%s' % (r['id'], r['status']) for r in d)")
  listed2=$listed1
  if [[ " $listed1 " != *" $id:interrupted "* ]]; then
    q 120 again.out again.err index tree --no-embed -q
    q 60 runs2.json runs2.err runs --index tree --json
    listed2=$(jget runs2.json "' '.join('%s:%s' % (r['id'], r['status']) for r in d)")
    when="after the next index"
  fi
  check "the killed run $id shows as interrupted ($when)" \
    "runs after check: '$listed1', after the next index: '$listed2'" bash -c "[[ ' $listed2 ' == *' $id:interrupted '* ]]"
}

case_first_run() {
  # Item 14: a first run before its first commit (the index exists, nothing committed, the lock
  # names the run): sync, status and a semantic search must say a first run is in progress.
  mktree tree 20 100 3
  spawn run.out run.err "$QUARRY" index tree --commit-interval 1h --commit-chunks 1000000 -q
  local run=$BG
  # The lock holds the run's record and Lucene has created the index (segments_1): the state the
  # issue found, where the last commit is the empty one of a run that has not committed yet.
  if ! wait_until 120 bash -c 'grep -q "^pid=" tree/.quarry/quarry.lock 2>/dev/null && ls tree/.quarry | grep -q "^segments_"'; then
    await "$run" 1
    fail "a first run in progress" "no lock record seen (run exit $RC): $(errtext run.err)"
    return 0
  fi
  kill -STOP "$run"
  echo d0/f0.txt >list
  q 30 sync.out sync.err sync --stdin --index tree <list
  if [ "$RC" != 0 ] && ! grep -qi 'no roots' sync.err && grep -qw "$run" sync.err; then
    pass "sync during a first run fails naming the running run"
  else
    fail "sync during a first run fails naming the running run (pid $run)" "exit $RC: $(errtext sync.err)"
  fi
  q 30 status.out status.err status --index tree
  if grep -qiE 'in progress|running' status.out status.err && ! grep -qi 'lexical only' status.out status.err; then
    pass "status says a first run is in progress"
  else
    fail "status says a first run is in progress" "exit $RC: $(head -c 300 status.out | tr '\n' '|') $(errtext status.err)"
  fi
  q 60 search.out search.err search "river stone" --mode semantic --index tree
  check "semantic search does not claim --no-embed" "exit $RC: $(errtext search.err)" \
    bash -c "! grep -q -- '--no-embed' search.out search.err"
  # The rest of the run would embed 2,000 files: SIGCONT, then a graceful stop (143) ends it.
  kill -CONT "$run"
  kill -TERM "$run"
  await "$run" 60
  check "the stopped run resumes and stops gracefully (exit 143 or 0)" "exit $RC: $(errtext run.err)" \
    bash -c "[ $RC = 143 ] || [ $RC = 0 ]"
}

case_symlink_stale() {
  # Item 15: with --follow-symlinks, a hit through a link (to a file, into a linked folder) is
  # stale only once the target changed on disk.
  mkdir -p root outside/dir
  echo "zebra crossing through a file link" >outside/target.txt
  echo "zebra crossing through a folder link" >outside/dir/inner.txt
  ln -s ../outside/target.txt root/link.txt
  ln -s ../outside/dir root/linkdir
  q 60 index.out index.err index root --no-embed --follow-symlinks -q
  [ "$RC" = 0 ] || { fail "index --follow-symlinks" "exit $RC: $(errtext index.err)"; return 0; }
  q 60 before.json before.err search zebra --mode lexical --index root --json
  local before after
  before=$(jget before.json "sorted((h['path'], h['stale']) for h in d['hits'])")
  check "hits through links are not stale while targets are unchanged" "$before: $(errtext before.err)" \
    test "$before" = '[["link.txt", false], ["linkdir/inner.txt", false]]'
  echo "zebra crossing through a file link, edited" >outside/target.txt
  echo "zebra crossing through a folder link, edited" >outside/dir/inner.txt
  touch -d '+10 seconds' outside/target.txt outside/dir/inner.txt
  q 60 after.json after.err search zebra --mode lexical --index root --json
  after=$(jget after.json "sorted((h['path'], h['stale']) for h in d['hits'])")
  check "hits through links are stale once their targets changed" "$after: $(errtext after.err)" \
    test "$after" = '[["link.txt", true], ["linkdir/inner.txt", true]]'
}

case_slow_loris() {
  # Item 16: three clients that never finish (half the headers; full headers and half the body;
  # one header byte a second) must be dropped within 45 s (the limit is 30 s for the whole
  # request, not per read), while a normal request is answered meanwhile.
  local port got
  port=$(free_port)
  start_serve "$port" || { fail "serve starts" "not listening after 90 s: $(errtext serve.err)"; return 0; }
  local server=$BG
  got=$(timeout --foreground -k 5 90 python3 - "$port" <<'PY'
import http.client, json, socket, sys, threading, time
port = int(sys.argv[1])
host = b"Host: 127.0.0.1:%d\r\n" % port
start = time.monotonic()
result = {}

def until_closed(name, sock, trickle=None):
    sock.settimeout(1)
    data = b""
    while time.monotonic() - start < 60:
        if trickle:
            try:
                sock.sendall(trickle[:1]); trickle = trickle[1:] or b"X"
            except OSError:
                break
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    result[name] = (round(time.monotonic() - start), data.split(b"\r\n", 1)[0].decode(errors="replace"))

half_headers = socket.create_connection(("127.0.0.1", port))
half_headers.sendall(b"POST /v1/embeddings HTTP/1.1\r\n" + host + b"Content-Type: appl")
half_body = socket.create_connection(("127.0.0.1", port))
half_body.sendall(b"POST /v1/embeddings HTTP/1.1\r\n" + host +
                  b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"input\": \"")
trickled = socket.create_connection(("127.0.0.1", port))
threads = [threading.Thread(target=until_closed, args=("half-headers", half_headers)),
           threading.Thread(target=until_closed, args=("half-body", half_body)),
           threading.Thread(target=until_closed, args=("trickle", trickled,
                            b"GET /v1/models HTTP/1.1\r\n" + host + b"X-Slow: " + b"a" * 200))]
for t in threads:
    t.start()
time.sleep(2)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
t0 = time.monotonic()
c.request("POST", "/v1/embeddings", body=json.dumps({"input": "hello"}),
          headers={"Content-Type": "application/json"})
r = c.getresponse(); r.read()
result["normal"] = (round(time.monotonic() - t0, 1), str(r.status))
for t in threads:
    t.join()
print(json.dumps(result))
PY
  ) || got="{}"
  echo "$got" >result.json
  local normal name t
  normal=$(jget result.json "d['normal'][1]")
  check "a normal request is answered while three slow clients hold connections" "got ${normal:-nothing}: $got" \
    test "$normal" = 200
  for name in half-headers half-body trickle; do
    t=$(jget result.json "d['$name'][0]")
    check "$name client dropped within 45 s" "after ${t:-?} s (${got:0:200})" test "${t:-99}" -le 45
  done
  local answer
  answer=$(jget result.json "d['half-body'][1]")
  check "half-body client gets 408 before the close" "its first line: '${answer:-}'" bash -c "[[ '$answer' == *408* ]]"
  stop "$server"
}

case_pdf_bomb() {
  # Item 17: a small PDF (one page, one FlateDecode content stream of ~224 MB of simple operators,
  # about half a megabyte on disk) must not keep a worker busy for minutes: the per-file limit
  # (30 s) skips it with its reason. Path operators alone are parsed at ~10 MB/s on 2 cores, so a
  # fast machine would finish them within the limit: each line also draws a form XObject that
  # draws another one 8 times, which makes the stream cost minutes anywhere without the limit.
  mkdir tree
  echo "an ordinary text file next to the bomb" >tree/notes.txt
  python3 - tree/bomb.pdf 224 8 <<'PY'
import sys, zlib
out, megabytes, fanout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = b"0 0 m 1 1 l S /F Do\n" * (1 << 16)
co = zlib.compressobj(9)
parts, total = [], 0
while total < megabytes << 20:
    parts.append(co.compress(block)); total += len(block)
parts.append(co.flush())
data = b"".join(parts)
forms = b"/G Do " * fanout
leaf = b"0 0 m 1 1 l S"
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /XObject << /F 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /G 6 0 R >> >>"
        b" /Length %d >>\nstream\n" % len(forms) + forms + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length %d >>\nstream\n" % len(leaf)
        + leaf + b"\nendstream"]
pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for number, body in enumerate(objs, 1):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(out, "wb").write(pdf)
PY
  local t0=$SECONDS took skipped indexed
  q 120 out.json err index tree --no-embed -q --json
  took=$((SECONDS - t0))
  skipped=$(jget out.json "sum(n for k, n in d['skippedByReason'].items() if 'time' in k)")
  indexed=$(jget out.json "d['files']['indexed']")
  if [ "$RC" = 0 ] && [ "${skipped:-0}" = 1 ] && [ "$indexed" = 1 ] && [ $took -le 60 ]; then
    pass "$(($(stat -c %s tree/bomb.pdf) / 1024)) KB PDF skipped with the time-limit reason in $took s, the text file indexed"
  else
    fail "PDF bomb skipped with the time-limit reason within 60 s" \
      "exit $RC after $took s, skippedByReason $(jget out.json "d['skippedByReason']"), failures $(jget out.json "d['failures']"), indexed ${indexed:-?}: $(errtext err)"
  fi
}

case_config_bom() {
  # Item 18: editors on Windows write a byte order mark at the start of a config file.
  printf '\xef\xbb\xbfworkers=2\n' >config.properties
  QUARRY_CONFIG=$PWD/config.properties q 30 config.json config.err config --json
  local value source
  value=$(jget config.json "d['workers']['value']")
  source=$(jget config.json "d['workers']['source']")
  check "config file with a UTF-8 BOM: exit 0, workers=2 from the file" "exit $RC, workers ${value:-?} from '${source:-?}': $(errtext config.err)" \
    bash -c "[ $RC = 0 ] && [ '$value' = 2 ] && [[ '$source' == *config* ]]"
}

case_read_only_launcher() {
  info "read-only-launcher: see LauncherTest (JUnit)"
}

# --- run -------------------------------------------------------------------------------------------
echo "hostile probe: ${#selected[@]} case(s); work folder $WORK"
echo "building Quarry if needed..."
"$QUARRY" --version >/dev/null 2>"$WORK/build.err" || {
  echo "hostile-probe: ./quarry --version failed:" >&2; cat "$WORK/build.err" >&2; exit 3
}
start=$SECONDS
for name in "${selected[@]}"; do
  dir=$WORK/$name
  mkdir -p "$dir"
  before=$(wc -l <"$RESULTS")
  # Each case runs as a job of its own (its own process group, set -m above): an interrupted probe
  # ends the case's every process at once, whatever it is waiting for.
  (
    set -eE
    ITEM=${ITEM_OF[$name]} CASE=$name
    cd "$dir"
    trap 'echo "  $CASE: line $LINENO: \`$BASH_COMMAND\` exited $?" >&2' ERR
    "case_${name//-/_}"
  ) </dev/null &
  CASE_PID=$!
  rc=0
  wait "$CASE_PID" || rc=$?
  CASE_PID=
  kill_registered
  unmount_registered
  if [ "$rc" != 0 ] || [ "$(wc -l <"$RESULTS")" = "$before" ]; then
    ITEM=${ITEM_OF[$name]} report FAIL "$name: the case itself failed (exit $rc, see above)"
  fi
done
passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
skipped=$(grep -c '^SKIP' "$RESULTS" || true)
echo "summary: $passed passed, $failed failed, $skipped skipped in $((SECONDS - start)) s"
[ "$failed" = 0 ]

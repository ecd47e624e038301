/**
 * The shell that runs redis-server (`sh -c SCRIPT name binary args...`) and stops it once its
 * standard input reaches end of file. Our process holds the only writing end of that pipe and
 * never writes to it, so end of file means we closed it (stop) or died, however we died: SIGKILL
 * runs none of our code, but the kernel closes the pipe all the same. Redis has no option to
 * watch its parent, and Linux's parent-death signal is not reachable from Node; this works on
 * any POSIX system.
 *
 * - fd 3 keeps the pipe: an asynchronous list's stdin is /dev/null in a shell without job control.
 * - redis-server gets neither the pipe nor a terminal (`3<&-`, stdin /dev/null).
 * - The reader's output goes nowhere, so our stdout/stderr pipes close when redis-server exits.
 * - The shell exits with redis-server's status once it is gone, and takes the reader with it;
 *   first it removes the server's private data directory (`EMBEDDED_REDIS_DIR`), which a host
 *   killed without warning could not.
 */
export const PARENT_WATCH_SCRIPT = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'redis=$!',
  '{ read -r _ <&3; kill -TERM "$redis"; } >/dev/null 2>&1 &',
  'reader=$!',
  'exec 3<&-',
  'wait "$redis"',
  'status=$?',
  'kill "$reader" 2>/dev/null',
  '[ -n "$EMBEDDED_REDIS_DIR" ] && rm -rf -- "$EMBEDDED_REDIS_DIR"',
  'exit "$status"',
].join('\n');

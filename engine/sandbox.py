"""Run diagram code in a child process with a CPU-time and a memory budget.

An in-process guard cannot stop one long C-level operation (``10 ** 10 ** 8``,
``'x' * 10 ** 10``, ``sum(range(10 ** 12))``): only another process can be
killed in the middle of one. So code that is not provably cheap
(``engine/bounded.py``) runs in a child interpreter (``engine/sandbox_child.py``)
holding RestrictedPython and nothing else: no database, no secrets, an empty
environment. The child limits its own address space and CPU time and says
which ran out; the parent waits on the pipe no longer than the CPU budget
plus ``MARGIN`` and kills the child if it has not answered by then.

Children are pooled per process: a call takes an idle one (or starts one,
~0.1–0.3 s) and gives it back after; so there are as many as calls run at
once, whatever the server's threads. A killed child is not given back; a forked
process starts its own (the pool remembers its pid); all are killed at exit.
"""
import atexit
import builtins
import os
import select
import subprocess
import sys
import threading
import time

from engine import sandbox_wire as wire
from engine.errors import ScriptError, ScriptLimitExceeded

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_child.py")
MARGIN = 0.5  # seconds of wall clock beyond the CPU budget before the child is killed
START_TIMEOUT = 15.0  # a child that is not ready by then is broken (an overloaded machine starts slowly)


class Limits:
    """The budgets every sandboxed run gets; ``engine.scripting.configure`` sets them."""

    cpu_seconds = 1.0
    memory_mb = 256


MAX_IDLE = 4  # idle children kept for the next calls; more are stopped when given back
_children = []  # every live child of this process
_idle = []
_children_lock = threading.Lock()
calls = 0  # sandboxed calls made by this process (the fast path makes none)


class _Child:
    def __init__(self, cpu_seconds, memory_mb):
        self.owner = os.getpid()
        self.budget = (cpu_seconds, memory_mb)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", CHILD, repr(cpu_seconds), str(memory_mb)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env={"LANG": "C.UTF-8"}, cwd="/", close_fds=True)
        except OSError as exc:
            raise ScriptError(f"the script sandbox could not start: {exc}") from None
        with _children_lock:
            _children.append(self)
        try:
            ready = self._read(time.monotonic() + START_TIMEOUT)
        except (_Timeout, _Died, ValueError):
            ready = {}
        if "ready" not in ready:
            self.kill()
            raise ScriptError("the script sandbox did not start")

    def call(self, request, deadline):
        try:
            self.process.stdin.write(request)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.kill()
            raise ScriptError("the script sandbox stopped") from None
        return self._read(deadline)

    def _read(self, deadline):
        header = self._read_exact(wire.HEADER.size, deadline)
        size = wire.HEADER.unpack(header)[0]
        if size > wire.MAX_FRAME:
            self.kill()
            raise ScriptError(f"the script's result is larger than {wire.MAX_FRAME // (1024 * 1024)} MB")
        return wire.loads(self._read_exact(size, deadline))

    def _read_exact(self, size, deadline):
        fd = self.process.stdout.fileno()
        data = b""
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.kill()
                raise _Timeout
            chunk = os.read(fd, size - len(data))
            if not chunk:
                died = self.kill()
                raise _Died(died)
            data += chunk
        return data

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        """Kill and reap the child; return its exit status."""
        if self.owner == os.getpid() and self.process.poll() is None:
            self.process.kill()
        if self.owner == os.getpid():
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        with _children_lock:
            if self in _children:
                _children.remove(self)
            if self in _idle:
                _idle.remove(self)
        return self.process.returncode


class _Timeout(Exception):
    pass


class _Died(Exception):
    def __init__(self, status):
        self.status = status


def _take():
    """An idle child with the current budgets, else a new one."""
    budget = (Limits.cpu_seconds, Limits.memory_mb)
    stale = []
    with _children_lock:
        if any(child.owner != os.getpid() for child in _children):
            # Forked: those are the parent's children. Drop them here without killing them.
            _children[:] = [c for c in _children if c.owner == os.getpid()]
            _idle[:] = [c for c in _idle if c.owner == os.getpid()]
        found = None
        while _idle and found is None:
            child = _idle.pop()
            if child.alive() and child.budget == budget:
                found = child
            else:
                stale.append(child)
    for child in stale:
        child.kill()
    return found or _Child(*budget)


def _give_back(child):
    with _children_lock:
        if child.alive() and child.owner == os.getpid() and len(_idle) < MAX_IDLE:
            _idle.append(child)
            return
    child.kill()


def children():
    """The pids of this process's live sandbox children (for tests and diagnostics)."""
    with _children_lock:
        return [c.process.pid for c in _children if c.owner == os.getpid() and c.alive()]


def run(op, code, context, external=None):
    """Evaluate (``op="eval"``) or execute (``"exec"``) code in the sandbox.

    Returns the expression's value, or the task data as the script left it.
    Raises ScriptLimitExceeded when a budget ran out, the script's own error
    (re-created by type name and message) when it raised, ScriptError when
    the data could not be passed.
    """
    try:
        request = wire.dumps({"op": op, "code": code, "context": context, "external": external or {}})
    except (ValueError, TypeError, RecursionError) as exc:  # CannotSend is a ValueError
        raise ScriptError(f"the task data cannot be passed to the script: {exc}") from None
    global calls
    calls += 1
    child = _take()
    try:
        reply = child.call(request, time.monotonic() + Limits.cpu_seconds + MARGIN)
    except _Timeout:
        raise ScriptLimitExceeded("time", Limits.cpu_seconds) from None
    except _Died as died:
        # Killed by the kernel (out of memory past RLIMIT_AS, say): a broken budget, not a script error.
        raise ScriptLimitExceeded("memory", Limits.memory_mb) if died.status and died.status < 0 \
            else ScriptError("the script sandbox stopped") from None
    except ValueError as exc:  # CannotSend, or a reply that is not JSON at all
        child.kill()
        raise ScriptError(f"the script's result cannot be read: {exc}") from None
    _give_back(child)
    if "ok" in reply:
        return reply["ok"]
    if "limit" in reply:
        kind = reply["limit"]
        raise ScriptLimitExceeded(kind, Limits.cpu_seconds if kind == "time" else Limits.memory_mb)
    name, message = reply.get("error") or ("ScriptError", "the script failed")
    raise _script_error(name, message)


def _script_error(name, message):
    """The script's own exception type when it is a builtin one (NameError…), else ScriptError."""
    cls = getattr(builtins, str(name), None)
    if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, OSError):
        try:
            return cls(message)
        except TypeError:
            pass
    return ScriptError(f"{name}: {message}")


@atexit.register
def stop_all():
    """Kill every child this process started."""
    with _children_lock:
        mine = [c for c in _children if c.owner == os.getpid()]
        _idle.clear()
    for child in mine:
        child.kill()

"""The sandbox child: runs diagram code under a CPU-time and a memory limit, one request at a time.

Started by ``engine/sandbox.py`` as ``python -I engine/sandbox_child.py CPU_SECONDS MEMORY_MB``
with an empty environment. It imports only RestrictedPython (through
``restricted``), caps its own address space at its baseline plus the memory
budget, forbids itself new processes and file writes, then answers requests
read from stdin on stdout:

    request: {"op": "eval" | "exec", "code": ..., "context": {...}, "external": {...}}
    reply:   {"ok": value}  |  {"error": [type name, message]}  |  {"limit": "time" | "memory"}

Each request runs under an ``ITIMER_PROF`` alarm of the CPU budget (user and
system time); the handler raises ``CpuBudget``, a BaseException so a script's
``except Exception`` cannot swallow it. A single C-level operation
(``10 ** 10 ** 8``) is not interrupted by a signal handler: the parent's
wall-clock deadline kills the child then.
"""
import os
import resource
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import restricted  # noqa: E402 - after the path is set; this file is run as a script
import sandbox_wire as wire  # noqa: E402


class CpuBudget(BaseException):
    """The CPU budget of a request ran out."""


def _on_alarm(_signum, _frame):
    raise CpuBudget()


def _address_space():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit_self(memory_mb):
    baseline = _address_space()
    if baseline and memory_mb > 0:
        limit = baseline + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for name, value in (("RLIMIT_NPROC", 0), ("RLIMIT_FSIZE", 0), ("RLIMIT_CORE", 0), ("RLIMIT_NOFILE", 8)):
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (ValueError, OSError, AttributeError):
            pass  # not lowerable here: the other limits still hold


def _read_exact(stream, size):
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _run(request, globals_):
    context = request.get("context") or {}
    external = request.get("external") or {}
    if request["op"] == "eval":
        return restricted.evaluate(globals_, request["code"], context, external)
    return restricted.execute(globals_, request["code"], context, external)


def _answer(request, globals_, cpu_seconds):
    try:
        signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
        try:
            return wire.dumps({"ok": _run(request, globals_)})  # encoding a huge result counts too
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except CpuBudget:
        return wire.dumps({"limit": "time"})
    except MemoryError:
        return wire.dumps({"limit": "memory"})
    except RecursionError as exc:
        return wire.dumps({"error": ["RecursionError", str(exc)]})
    except Exception as exc:  # the script's own error goes back to be raised as it was
        return wire.dumps({"error": [type(exc).__name__, str(exc)[:2000]]})


def main():
    cpu_seconds, memory_mb = float(sys.argv[1]), int(sys.argv[2])
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdin = sys.stdout = open(os.devnull, "r+")  # noqa: SIM115 - stray writes must not reach the pipe
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.signal(signal.SIGPROF, _on_alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the parent's to handle
    globals_ = restricted.restricted_globals()
    _limit_self(memory_mb)
    replies.write(wire.dumps({"ready": os.getpid()}))
    replies.flush()
    while True:
        try:
            size = wire.HEADER.unpack(_read_exact(requests, wire.HEADER.size))[0]
            if size > wire.MAX_FRAME:
                return
            request = wire.loads(_read_exact(requests, size))
        except EOFError:
            return  # the parent is gone or done
        try:
            reply = _answer(request, globals_, cpu_seconds)
        except MemoryError:
            reply = wire.dumps({"limit": "memory"})
        except wire.CannotSend as exc:
            reply = wire.dumps({"error": ["CannotSend", str(exc)]})
        except (ValueError, TypeError, RecursionError) as exc:
            reply = wire.dumps({"error": [type(exc).__name__, f"the script's result cannot be sent back: {exc}"]})
        replies.write(reply)
        replies.flush()


if __name__ == "__main__":
    main()

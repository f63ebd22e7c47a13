"""Run one probe job in a separate, resource-limited process.

The student's code only ever runs here. Each job gets a fresh copy of the
workspace (modules, utilities, probes, a link to the data), so nothing a job
writes or edits survives into another job or into the grader. When the
grader runs as root (Gradescope, CI) the job runs as ``nobody``: it cannot
write the grader's files, the results file or read the expected values.
"""

import functools
import json
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GIB = 2**30
MIB = 2**20
# A job's result file above this size is refused rather than parsed.
MAX_RESULT_BYTES = 64 * MIB


@dataclass(frozen=True)
class Limits:
    """Per-job limits.

    timeout_s : wall-clock seconds before the job's process group is killed.
    memory_bytes : RLIMIT_DATA; counts heap and anonymous mappings but not the
        address space reserved by CUDA, so GPUs still work under it.
    file_bytes : RLIMIT_FSIZE; caps every file the job writes, stdout included.
    output_bytes : bytes of student output kept from the head and from the tail.
    threads : compute threads for BLAS, OpenMP and torch in the job; None
        leaves each library its default (one per core). A grade must not
        depend on it, and tests check that by grading at 1 and 2.
    """

    timeout_s: float
    memory_bytes: int = 4 * GIB
    file_bytes: int = 128 * MIB
    output_bytes: int = 4096
    threads: int = None


@dataclass
class JobResult:
    """What a job produced: a probe value or an error, and the student's output."""

    ok: bool
    value: object
    error: str
    output: str
    seconds: float


# What every probe imports; a job user that cannot import these would fail every item.
REQUIRED_MODULES = "numpy, torch, torchvision, sklearn"


def _as_user(user):
    return {"user": user[0], "group": user[1], "extra_groups": []}


@functools.lru_cache(maxsize=None)
def unprivileged_user():
    """(uid, gid) of ``nobody`` when running as root and it can run the jobs, else None.

    ``nobody`` must be able to start this interpreter and import
    ``REQUIRED_MODULES``. That fails when the interpreter or its packages live
    where ``nobody`` cannot reach them (e.g. a venv whose base Python sits under
    a 0700 /root); jobs then run as the grader's own user, still in a separate
    process with every other limit.
    """
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
        user = entry.pw_uid, entry.pw_gid
        subprocess.run([sys.executable, "-E", "-s", "-c", f"import {REQUIRED_MODULES}"],
                       cwd="/", env=_env(Path("/nonexistent")), check=True,
                       capture_output=True, timeout=120, **_as_user(user))
    except (KeyError, OSError, subprocess.SubprocessError):
        return None
    return user


def user_can_read(path, user):
    """Whether ``user`` ((uid, gid)) can open ``path`` for reading."""
    check = [sys.executable, "-E", "-s", "-c", "import sys; open(sys.argv[1], 'rb').close()",
             str(path)]
    return subprocess.run(check, cwd="/", capture_output=True, timeout=60,
                          **_as_user(user)).returncode == 0


def hide_from_jobs(path):
    """Make ``path`` unreadable to job processes.

    Returns
    -------
    hidden : bool
        True when jobs run as another user and can no longer read ``path``
        (it is now readable by its owner only); False when jobs run as the
        grader's own user, from whom nothing can be hidden.

    Raises
    ------
    RuntimeError
        When jobs run as another user who can still read ``path`` after the
        chmod, e.g. on a filesystem that ignores file modes.
    """
    user = unprivileged_user()
    if user is None:
        return False
    os.chmod(path, os.stat(path).st_mode & 0o700)
    if user_can_read(path, user):
        raise RuntimeError(
            f"{path} is still readable by the job user (uid {user[0]}) after restricting it "
            f"to its owner (mode {os.stat(path).st_mode & 0o777:o}); grading would leak the "
            "expected values. Unpack the grader on a filesystem that honours file modes."
        )
    return True


def _limit(limits):
    def apply():
        os.umask(0o022)
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Writing past RLIMIT_FSIZE then raises OSError instead of killing the job.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return apply


def _read_output(path, keep):
    """The job's output, keeping ``keep`` bytes from each end of a long one."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        if size <= 2 * keep:
            return f.read().decode("utf-8", "replace")
        head = f.read(keep).decode("utf-8", "replace")
        f.seek(size - keep)
        tail = f.read().decode("utf-8", "replace")
    return f"{head}\n[... {size - 2 * keep} bytes of output omitted ...]\n{tail}"


def _read_result(path):
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_RESULT_BYTES:
        return {"ok": False, "error": "the job's result was too large to read"}
    try:
        with open(path) as f:
            result = json.load(f)
    except (OSError, ValueError) as e:
        return {"ok": False, "error": f"the job's result could not be read ({e})"}
    return result if isinstance(result, dict) else {"ok": False, "error": "malformed result"}


def _prepare(workspace, user):
    job_dir = Path(tempfile.mkdtemp(prefix="grader-job-"))
    os.chmod(job_dir, 0o711)
    work = job_dir / "w"
    shutil.copytree(workspace, work, symlinks=True)
    if user is not None:
        # Only the folder itself: the job may create files (caches, weights)
        # but not rewrite the copied modules, probes or utilities.
        os.chown(work, *user)
    return job_dir, work


def _env(work, threads=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work),
        "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(work / ".mpl"),
        "TORCH_HOME": str(work / ".torch"), "XDG_CACHE_HOME": str(work / ".cache"),
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
    }
    if threads is not None:
        # torch reads OMP_NUM_THREADS; numpy's OpenBLAS and MKL read their own.
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    return env


def run_job(job, workspace, limits):
    """Run probe ``job`` on a copy of ``workspace`` and return a JobResult."""
    user = unprivileged_user()
    job_dir, work = _prepare(workspace, user)
    start = time.monotonic()
    try:
        with open(job_dir / "output.txt", "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-E", "-s", "-m", "_probes", job, str(work / "result.json")],
                cwd=work, env=_env(work, limits.threads), stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_limit(limits),
                **(_as_user(user) if user else {}),
            )
            timed_out = _wait(proc, limits.timeout_s)
        seconds = time.monotonic() - start
        output = _read_output(job_dir / "output.txt", limits.output_bytes)
        result = None if timed_out else _read_result(work / "result.json")
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    if timed_out:
        error = f"timed out after {limits.timeout_s:.0f} s"
    elif result is None:
        error = f"the job exited with code {proc.returncode} before reporting a result"
    else:
        error = str(result.get("error", ""))[:3000]
        if result.get("traceback"):
            error += "\n" + str(result["traceback"])[-3000:]
    ok = bool(result and result.get("ok") is True and "value" in result)
    return JobResult(ok, result.get("value") if ok else None, "" if ok else error, output, seconds)


def _wait(proc, timeout_s):
    """Wait for ``proc``; kill its whole process group. True if it timed out."""
    try:
        proc.wait(timeout=timeout_s)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    try:
        # Also ends stray children (data-loader workers, forked loops).
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    return timed_out

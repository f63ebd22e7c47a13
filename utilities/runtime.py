"""Where and how the torch models run: device, precision, memory layout, workers, atomic files.

The exercises (cnn.py, rnn.py, lstm.py and the student-written methods of
cnn_trainer.py and base_sequential_model.py) stay plain PyTorch; the given
parts of the Trainer and of the sequential wrapper call this module, so every
hardware decision is made once, here.

Precision policy
----------------
``"auto"`` (the default everywhere) runs bf16 autocast on CUDA cards that
support it and on CPUs that compute bf16 natively (AVX512-BF16 or AMX tiles),
and plain float32 everywhere else. Weights, optimiser state and losses stay
float32 either way. An explicit ``"bf16"`` on hardware without native bf16 is
refused with a ValueError rather than emulated: emulated bf16 is slower than
float32, and oneDNN has no bf16 LSTM kernel for such CPUs at all.
"""

import contextlib
import functools
import os
import platform
from pathlib import Path

import torch

PRECISIONS = ("auto", "fp32", "bf16")


def select_device(device=None):
    """Return ``torch.device(device)``, or CUDA when available and the CPU otherwise."""
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(device)


def cpu_model():
    """The processor's marketing name, for benchmark reports (e.g. ``AMD EPYC 7B13``)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@functools.lru_cache(maxsize=None)
def cpu_has_native_bf16():
    """True when torch's CPU kernels can use native bf16 (AVX512-BF16 or AMX tiles).

    Both need torch's AVX-512 kernels, so a process started with
    ``ATEN_CPU_CAPABILITY=avx2`` (the way to emulate an AVX2-only laptop on a
    newer CPU) reports False. The flag probes are private torch helpers, so a
    build without them counts as "no".
    """
    if torch.backends.cpu.get_cpu_capability() != "AVX512":
        return False
    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in probes)


def _bf16_supported(device):
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and cpu_has_native_bf16()


def resolve_precision(precision, device):
    """Turn a requested precision into ``"bf16"`` or ``"fp32"`` for ``device``.

    Parameters
    ----------
    precision : {"auto", "fp32", "bf16"}
    device : torch.device

    Raises
    ------
    ValueError
        For an unknown name, or for ``"bf16"`` on hardware without native bf16.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "auto":
        return "bf16" if _bf16_supported(device) else "fp32"
    if precision == "bf16" and not _bf16_supported(device):
        where = (f"this CPU ({cpu_model()}) has neither AVX512-BF16 nor AMX"
                 if device.type == "cpu" else f"device {device} does not support bf16")
        raise ValueError(f"precision='bf16' needs native bf16 hardware, but {where}; "
                         "use precision='fp32' or precision='auto'")
    return precision


def autocast(device, precision, cache_enabled=True):
    """Autocast context for forward passes: bf16 when ``precision == "bf16"``, else a no-op.

    Inside one context autocast caches the bf16 copy of each weight, so a
    context that spans optimiser steps (a whole training epoch) must pass
    ``cache_enabled=False``: otherwise every forward pass reuses the copies
    made before the first step and the network never changes.
    """
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16",
                          cache_enabled=cache_enabled)


def memory_format(device, precision):
    """Layout for image batches and convolution weights on ``device`` at ``precision``.

    oneDNN's CPU convolutions run fastest in ``channels_last`` in float32 as
    well as bf16 (the instructor's CNN bench prints both layouts); on CUDA it is
    cuDNN's fast path for bf16, while float32 keeps the default layout.
    """
    if device.type == "cpu" or precision == "bf16":
        return torch.channels_last
    return torch.contiguous_format


def default_loader_workers(device):
    """Loader worker processes for training on ``device``: 0 or 1.

    One worker augments the next batch while the current one trains, which
    pays off only when it has a core of its own: on a GPU, or on a CPU with
    more cores than torch's compute threads. On a 2-core machine a worker
    steals time from both compute threads.
    """
    spare_core = (os.cpu_count() or 1) > torch.get_num_threads()
    return 1 if device.type == "cuda" or spare_core else 0


@contextlib.contextmanager
def seeded(seed, device):
    """Run the block with torch's global generators seeded by ``seed``, then restore them.

    Dropout and in-process augmentation draw from the global generator; forking
    it keeps the caller's stream unchanged, so library code can be reproducible
    without reseeding anyone else's draws. ``seed=None`` leaves the generators alone.
    """
    if seed is None:
        yield
        return
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def snapshot_state(module):
    """A detached copy of ``module.state_dict()``, safe to keep while training goes on."""
    return {name: tensor.detach().clone() for name, tensor in module.state_dict().items()}


def atomic_write(path, write, mode="wb"):
    """Create or replace ``path`` through ``write(file_object)``, all or nothing.

    The data goes to a hidden temporary file beside ``path``, is flushed to
    disk, and is then renamed over ``path`` (``os.replace`` is atomic), so an
    interruption leaves either the old file or the new one, never a truncated
    file. A symlink at the temporary name is removed, not followed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        with open(tmp, mode) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""One line describing the machine a benchmark ran on, printed first by every bench script.

Figures are only comparable on the same kind of CPU and path: the line names
the CPU model, torch's CPU kernel level, whether bf16 runs natively (so which
precision ``"auto"`` picks), numpy's BLAS kernel and the thread counts.
"""

import os

import numpy as np
import torch

from utilities import runtime


def blas_kernel():
    """numpy's BLAS library and the kernel it chose (e.g. ``openblas SkylakeX``)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not blas:
        return "unknown"
    return f"{blas[0].get('internal_api')} {blas[0].get('architecture', '')}".strip()


def timed_precisions(device):
    """Precisions to time on ``device``: what ``"auto"`` picks, then fp32 if that differs."""
    default = runtime.resolve_precision("auto", device)
    return [default] + (["fp32"] if default != "fp32" else [])


def describe():
    """E.g. ``CPU Intel(R) Xeon(R) Processor (2 cores), torch kernels AVX512, native bf16 yes, ...``."""
    native = runtime.cpu_has_native_bf16()
    auto = runtime.resolve_precision("auto", torch.device("cpu"))
    return (f"CPU {runtime.cpu_model()} ({os.cpu_count()} cores), torch {torch.__version__} "
            f"kernels {torch.backends.cpu.get_cpu_capability()} with {torch.get_num_threads()} "
            f"threads, native bf16 {'yes' if native else 'no'} (auto precision: {auto}), "
            f"numpy {np.__version__} BLAS {blas_kernel()}, "
            f"CUDA {torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'}")


if __name__ == "__main__":
    print(describe())

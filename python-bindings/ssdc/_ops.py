"""ssdc.ssd's entry points as PyTorch custom ops (torch.library.custom_op,
PyTorch 2.4+), with fake implementations, so that torch.compile keeps them in
its graph (no graph break) and CUDA graphs capture their launches:
torch.ops.ssdc.chunk_scan and torch.ops.ssdc.kernelbench. ssdc/ssd.py routes
to them while torch.compile traces, and calls the forward directly otherwise
(a custom op's dispatch costs more than the forward's own host time)."""
from typing import Optional, Tuple

import torch

from . import ssd

is_compiling = getattr(getattr(torch, "compiler", None), "is_compiling", None) or (
    lambda: torch._dynamo.is_compiling())


@torch.library.custom_op("ssdc::chunk_scan", mutates_args=())
def chunk_scan(x: torch.Tensor, dt: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
               C: torch.Tensor, chunk_size: int, D: Optional[torch.Tensor],
               z: Optional[torch.Tensor], dt_bias: Optional[torch.Tensor],
               initial_states: Optional[torch.Tensor], dt_softplus: bool,
               return_final_states: bool) -> Tuple[torch.Tensor, torch.Tensor]:
    y, final = ssd.forward(ssd._MAMBA, x, dt, A, B, C, chunk_size, D, z, dt_bias,
                           initial_states, dt_softplus, True, return_final_states)
    # A custom op returns tensors only: no final states is an empty one.
    return y, final if final is not None else x.new_empty((0,), dtype=torch.float32)


@chunk_scan.register_fake
def _(x, dt, A, B, C, chunk_size, D, z, dt_bias, initial_states, dt_softplus,
      return_final_states):
    b, s, h, p = x.shape
    n = B.shape[3]
    final_shape = (b, h, p, n) if return_final_states else (0,)
    return x.new_empty(x.shape), x.new_empty(final_shape, dtype=torch.float32)


@torch.library.custom_op("ssdc::kernelbench", mutates_args=())
def kernelbench(X: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
                block_len: int, initial_states: Optional[torch.Tensor],
                return_final_state: bool) -> torch.Tensor:
    y, final = ssd.forward(ssd._KERNELBENCH, X, A, None, B, C, block_len, None, None, None,
                           initial_states, False, not return_final_state, return_final_state)
    return final if return_final_state else y


@kernelbench.register_fake
def _(X, A, B, C, block_len, initial_states, return_final_state):
    b, s, h, p = X.shape
    if return_final_state:
        return X.new_empty((b, h, p, B.shape[3]), dtype=torch.float32)
    return X.new_empty(X.shape)

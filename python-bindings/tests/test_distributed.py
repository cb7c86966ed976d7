"""ssdc.distributed on the host target: head- and sequence-parallel forwards in
2-4 gloo processes against the single-process result (issue 13's CPU tests)."""
import os
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

import ssdc
from ssdc.distributed import exchanged_bytes, head_shard, sequence_parallel_chunk_scan


def problem(b=1, s=22, h=4, p=4, n=4, g=2, seed=0):
    gen = torch.Generator().manual_seed(seed)
    r = lambda *size: torch.rand(*size, generator=gen) * 2 - 1  # noqa: E731
    return dict(x=r(b, s, h, p), dt=-(torch.rand(b, s, h, generator=gen) + 0.5),
                A=-(torch.rand(h, generator=gen) + 0.25), B=r(b, s, g, n), C=r(b, s, g, n),
                D=r(h), z=r(b, s, h, p), dt_bias=r(h) * 0.5, initial_states=r(b, h, p, n))


def whole(t, chunk):
    """The single-process forward the split ones must reproduce."""
    t = dict(t)
    return ssdc.ssd.chunk_scan(t.pop("x"), t.pop("dt"), t.pop("A"), t.pop("B"), t.pop("C"),
                               chunk, dt_softplus=True, return_final_states=True, **t)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ranks(world_size, body, *args):
    """Runs body(rank, world_size, *args) in `world_size` gloo processes; each
    returns its result through a queue, re-raised here when a rank failed."""
    port = free_port()
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_rank_main, args=(rank, world_size, port, results, body, args))
             for rank in range(world_size)]
    for proc in procs:
        proc.start()
    out = dict(results.get(timeout=300) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
    failures = {rank: v for rank, v in out.items() if isinstance(v, str)}
    assert not failures, failures
    return [tuple(None if a is None else torch.from_numpy(a) for a in out[rank])
            for rank in range(world_size)]


def _rank_main(rank, world_size, port, results, body, args):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    try:
        # As NumPy arrays: tensors would travel as shared-memory handles that
        # die with this process.
        results.put((rank, tuple(None if t is None else t.numpy()
                                 for t in body(rank, world_size, *args))))
    except Exception as error:  # reported by run_ranks with the rank that failed
        import traceback
        results.put((rank, f"{error!r}\n{traceback.format_exc()}"))
    finally:
        dist.destroy_process_group()


def _sequence_rank(rank, world_size, t, bounds, chunk, on_all):
    lo, hi = bounds[rank], bounds[rank + 1]
    piece = {k: t[k][:, lo:hi] for k in ("x", "dt", "B", "C", "z")}
    y, final = sequence_parallel_chunk_scan(
        piece["x"], piece["dt"], t["A"], piece["B"], piece["C"], chunk, D=t["D"], z=piece["z"],
        dt_bias=t["dt_bias"], initial_states=t["initial_states"], dt_softplus=True,
        return_final_states=True, final_states_on_all_ranks=on_all)
    return y, final


@pytest.mark.parametrize("world_size,bounds,on_all", [
    (2, [0, 11, 22], False),        # pieces that split chunks (chunk 4)
    (3, [0, 8, 9, 22], True),       # a one-token piece; final states on every rank
    (4, [0, 4, 12, 16, 22], False),  # pieces on chunk boundaries
])
def test_sequence_parallel_equals_one_process(world_size, bounds, on_all):
    t, chunk = problem(), 4
    truth_y, truth_final = whole(t, chunk)
    ranks = run_ranks(world_size, _sequence_rank, t, bounds, chunk, on_all)
    y = torch.cat([y for y, _ in ranks], dim=1)
    torch.testing.assert_close(y, truth_y, atol=2e-5, rtol=2e-5)
    for rank, (_, final) in enumerate(ranks):
        if on_all or rank == world_size - 1:
            torch.testing.assert_close(final, truth_final, atol=2e-5, rtol=2e-5)
        else:
            assert final is None


def _head_rank(rank, world_size, t, chunk):
    shard = head_shard(t["A"].shape[0], t["B"].shape[2])
    heads, groups = shard.heads, shard.groups
    return ssdc.ssd.chunk_scan(
        t["x"][:, :, heads], t["dt"][:, :, heads], t["A"][heads], t["B"][:, :, groups],
        t["C"][:, :, groups], chunk, D=t["D"][heads], z=t["z"][:, :, heads],
        dt_bias=t["dt_bias"][heads], initial_states=t["initial_states"][:, heads],
        dt_softplus=True, return_final_states=True)


@pytest.mark.parametrize("world_size,groups", [(2, 2), (2, 1), (4, 4)])
def test_head_parallel_equals_one_process(world_size, groups):
    t, chunk = problem(h=4, g=groups, s=9, seed=1), 4
    truth_y, truth_final = whole(t, chunk)
    ranks = run_ranks(world_size, _head_rank, t, chunk)
    torch.testing.assert_close(torch.cat([y for y, _ in ranks], dim=2), truth_y,
                               atol=1e-6, rtol=1e-6)
    torch.testing.assert_close(torch.cat([f for _, f in ranks], dim=1), truth_final,
                               atol=1e-6, rtol=1e-6)


def test_head_shard_rules():
    assert head_shard(8, 1, rank=3, world_size=4) == \
        ssdc.distributed.HeadShard(slice(6, 8), slice(0, 1))
    assert head_shard(8, 4, rank=1, world_size=2) == \
        ssdc.distributed.HeadShard(slice(4, 8), slice(2, 4))
    with pytest.raises(ValueError, match="not divisible by the 3 ranks"):
        head_shard(8, 1, rank=0, world_size=3)
    with pytest.raises(ValueError, match="cannot be split consistently"):
        head_shard(8, 2, rank=0, world_size=4)
    with pytest.raises(ValueError, match="must divide nheads"):
        head_shard(8, 3, rank=0, world_size=2)
    with pytest.raises(ValueError, match="rank 2 is not in"):
        head_shard(8, 1, rank=2, world_size=2)


def test_exchanged_bytes_do_not_grow_with_the_sequence():
    # The 2.7B layer (b=2, h=80, p=64, n=128): 5.2 MB per rank at any length.
    assert exchanged_bytes(2, 80, 64, 128) == 2 * 80 * (64 * 128 + 1) * 4

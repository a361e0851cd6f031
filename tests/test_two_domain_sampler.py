import itertools
import sys
from pathlib import Path

import pytest

try:
    import mmpose_mlda  # noqa: F401  (must precede mmpose)
except ModuleNotFoundError:  # run without the repo root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import mmpose_mlda  # noqa: F401

from mmpose.registry import DATA_SAMPLERS  # noqa: E402

from mmpose_mlda.datasets.samplers import TwoDomainSampler  # noqa: E402
from mmpose_mlda.datasets.samplers import two_domain_sampler as tds  # noqa


class FakeTwoDomain:

    def __init__(self, source_size, target_size):
        self.source_size = source_size
        self.target_size = target_size

    def __len__(self):
        return self.source_size + self.target_size

    def __getitem__(self, idx):
        return idx


def take(sampler, n_batches):
    """First ``n_batches`` batches (lists of indices) of ``iter(sampler)``."""
    it = iter(sampler)
    bs = sampler.batch_size
    return [list(itertools.islice(it, bs)) for _ in range(n_batches)]


@pytest.fixture
def dist(monkeypatch):
    """Simulate ``(rank, world_size)`` for samplers built afterwards."""

    def set_dist(rank, world_size):
        monkeypatch.setattr(tds, 'get_dist_info', lambda: (rank, world_size))

    return set_dist


def test_batch_composition_over_many_batches():
    ds = FakeTwoDomain(7, 5)
    s = TwoDomainSampler(ds, batch_size=6, num_source=4, seed=0)
    assert (s.num_source, s.num_target) == (4, 2)
    for batch in take(s, 200):
        assert len(batch) == 6
        assert all(0 <= i < 7 for i in batch[:4])
        assert all(7 <= i < 12 for i in batch[4:])


@pytest.mark.parametrize('bs,ratio,n_src', [(8, 0.5, 4), (8, 0.25, 2),
                                            (5, 0.5, 3), (3, 0.6, 2),
                                            (10, None, 5)])
def test_source_ratio_to_num_source(bs, ratio, n_src):
    s = TwoDomainSampler(FakeTwoDomain(4, 4),
                         batch_size=bs,
                         source_ratio=ratio,
                         seed=0)
    assert s.num_source == n_src
    assert s.num_target == bs - n_src
    batch = take(s, 1)[0]
    assert all(i < 4 for i in batch[:n_src])
    assert all(i >= 4 for i in batch[n_src:])


def test_deterministic_for_seed_and_differs_across_seeds():
    ds = FakeTwoDomain(50, 30)
    a = take(TwoDomainSampler(ds, batch_size=8, seed=3), 40)
    b = take(TwoDomainSampler(ds, batch_size=8, seed=3), 40)
    c = take(TwoDomainSampler(ds, batch_size=8, seed=4), 40)
    assert a == b
    assert a != c


def test_permutation_seeded_with_seed_plus_pass():
    import torch
    ds = FakeTwoDomain(6, 4)
    s = TwoDomainSampler(ds, batch_size=2, seed=11)
    src = [b[0] for b in take(s, 12)]  # two source passes of 6
    for e in range(2):
        g = torch.Generator()
        g.manual_seed(11 + e)
        assert src[6 * e:6 * (e + 1)] == torch.randperm(6,
                                                        generator=g).tolist()


def test_each_pass_covers_domain_exactly_once():
    ds = FakeTwoDomain(9, 4)
    s = TwoDomainSampler(ds, batch_size=5, num_source=3, seed=1)
    batches = take(s, 60)  # 180 source slots = 20 passes, 120 tgt = 30
    src = [i for b in batches for i in b[:3]]
    tgt = [i for b in batches for i in b[3:]]
    src_passes = [src[k:k + 9] for k in range(0, len(src), 9)]
    tgt_passes = [tgt[k:k + 4] for k in range(0, len(tgt), 4)]
    assert len(src_passes) == 20 and len(tgt_passes) == 30
    for p in src_passes:
        assert sorted(p) == list(range(9))
    for p in tgt_passes:
        assert sorted(p) == list(range(9, 13))
    # shuffled: passes are not all the same order
    assert len({tuple(p) for p in src_passes}) > 1


def test_no_shuffle_is_sequential():
    s = TwoDomainSampler(FakeTwoDomain(3, 2),
                         batch_size=3,
                         num_source=2,
                         shuffle=False,
                         seed=0)
    assert take(s, 3) == [[0, 1, 3], [2, 0, 4], [1, 2, 3]]


def test_target_smaller_than_its_slots_per_batch():
    s = TwoDomainSampler(FakeTwoDomain(10, 2),
                         batch_size=6,
                         num_source=1,
                         seed=0)
    tgt = [i for b in take(s, 4) for i in b[1:]]
    for k in range(0, len(tgt), 2):
        assert sorted(tgt[k:k + 2]) == [10, 11]


def test_two_ranks_disjoint_and_equal_single_stream(dist):
    # source: 12 samples, 3 per batch; target: 8 samples, 1 per batch
    ds = FakeTwoDomain(12, 8)
    dist(0, 1)
    single = TwoDomainSampler(ds, batch_size=4, num_source=3, seed=5)
    dist(0, 2)
    r0 = TwoDomainSampler(ds, batch_size=4, num_source=3, seed=5)
    dist(1, 2)
    r1 = TwoDomainSampler(ds, batch_size=4, num_source=3, seed=5)
    assert (r0.rank, r0.world_size, r1.rank, r1.world_size) == (0, 2, 1, 2)

    n = 30
    b0, b1, ref = take(r0, n), take(r1, n), take(single, 2 * n)
    # global stream position p = (b * W + r) * n_d + j: batch b of rank r is
    # batch b * W + r of the single-process stream
    assert [x for pair in zip(b0, b1) for x in pair] == ref

    # one source pass = 12 positions = batches 0-1 of both ranks; one
    # target pass = 8 positions = batches 0-3 of both ranks
    for d_slice, n_b, universe in ((slice(0,
                                          3), 2, range(12)), (slice(3, 4), 4,
                                                              range(12, 20))):
        for e in range(n // n_b):
            part0 = [i for b in b0[e * n_b:(e + 1) * n_b] for i in b[d_slice]]
            part1 = [i for b in b1[e * n_b:(e + 1) * n_b] for i in b[d_slice]]
            assert not set(part0) & set(part1)
            assert sorted(part0 + part1) == list(universe)


def test_seed_none_uses_sync_random_seed(monkeypatch):
    monkeypatch.setattr(tds, 'sync_random_seed', lambda: 1234)
    s = TwoDomainSampler(FakeTwoDomain(4, 4), batch_size=2)
    assert s.seed == 1234


@pytest.mark.parametrize('k', [0, 1, 7, 25, 101])
def test_set_start_batch_matches_uninterrupted_stream(k, dist):
    ds = FakeTwoDomain(11, 6)
    dist(1, 3)
    full = take(TwoDomainSampler(ds, batch_size=5, num_source=2, seed=9),
                k + 20)
    resumed = TwoDomainSampler(ds, batch_size=5, num_source=2, seed=9)
    resumed.set_start_batch(k)
    assert take(resumed, 20) == full[k:]
    # sticky: a new iterator starts at k again
    assert take(resumed, 3) == full[k:k + 3]
    assert resumed.batch_indices(k + 4) == full[k + 4]


def test_set_start_batch_is_arithmetic(monkeypatch):
    """Resuming at a huge batch generates only the permutations it needs."""
    s = TwoDomainSampler(FakeTwoDomain(10, 10), batch_size=4, seed=0)
    calls = []
    orig = s._permutation

    def spy(domain, epoch):
        calls.append((domain, epoch))
        return orig(domain, epoch)

    monkeypatch.setattr(s, '_permutation', spy)
    s.set_start_batch(10**12)
    batch = take(s, 1)[0]
    assert len(batch) == 4
    assert len(calls) <= 4


def test_set_start_batch_invalid():
    s = TwoDomainSampler(FakeTwoDomain(3, 3), batch_size=2, seed=0)
    for bad in (-1, 1.5, None):
        with pytest.raises(ValueError, match='num_batches'):
            s.set_start_batch(bad)


def test_len_and_set_epoch_harmless():
    s = TwoDomainSampler(FakeTwoDomain(7, 3), batch_size=4, seed=0)
    assert len(s) == 10
    before = take(s, 5)
    s.set_epoch(3)
    assert take(s, 5) == before


@pytest.mark.parametrize('kwargs,match', [
    (dict(batch_size=1), 'batch_size must be an int >= 2'),
    (dict(batch_size=0), 'batch_size must be an int >= 2'),
    (dict(batch_size=4.0), 'batch_size must be an int >= 2'),
    (dict(batch_size=4, source_ratio=0.0), 'strictly between 0 and 1'),
    (dict(batch_size=4, source_ratio=1.0), 'strictly between 0 and 1'),
    (dict(batch_size=4, source_ratio=-0.2), 'strictly between 0 and 1'),
    (dict(batch_size=4, source_ratio=0.1), 'both must be >= 1'),
    (dict(batch_size=4, source_ratio=0.9), 'both must be >= 1'),
    (dict(batch_size=4, num_source=0), r'num_source must be an int in \[1'),
    (dict(batch_size=4, num_source=4), r'num_source must be an int in \[1'),
    (dict(batch_size=4, num_source=2, source_ratio=0.5), 'not both'),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TwoDomainSampler(FakeTwoDomain(4, 4), seed=0, **kwargs)


def test_dataset_without_domains_rejected():
    with pytest.raises(TypeError, match='source_size`? and `?target_size'):
        TwoDomainSampler(list(range(10)), batch_size=4, seed=0)
    with pytest.raises(ValueError, match='non-empty'):
        TwoDomainSampler(FakeTwoDomain(4, 0), batch_size=4, seed=0)


def test_registry_build_and_dataloader_batches():
    import torch
    ds = FakeTwoDomain(6, 4)
    s = DATA_SAMPLERS.build(dict(type='TwoDomainSampler',
                                 batch_size=4,
                                 source_ratio=0.25),
                            default_args=dict(dataset=ds, seed=2))
    assert isinstance(s, TwoDomainSampler)
    loader = torch.utils.data.DataLoader(ds,
                                         batch_size=4,
                                         sampler=s,
                                         collate_fn=list)
    s.check_dataloader(loader)
    for batch, _ in zip(loader, range(20)):
        assert batch[0] < 6 and all(i >= 6 for i in batch[1:])
    bad = torch.utils.data.DataLoader(ds, batch_size=3, sampler=s)
    with pytest.raises(ValueError, match='batch_size=3 differs'):
        s.check_dataloader(bad)

"""How hard each loss term pulls on the student's backbone features.

    python tools/gradient_balance.py CONFIG CHECKPOINT [--batches 5]
        [--data-root data_cache/toy_figures/] [--target target]

Builds the adaptation model of CONFIG (a configs/demo row), loads
CHECKPOINT into student and teacher, and for a few training batches
prints the norm of the gradient that each loss term sends into the
student's last backbone feature map, ``||d term / d feats||`` (source and
target features separately). Used in docs/adaptation_study.md to show why
the paper's backbone discriminator drags the encoder: its reversed gradient
dwarfs the pose losses'.
"""
import argparse
import os.path as osp
import sys
from collections import defaultdict

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import torch  # noqa: E402
from mmengine.runner import Runner, load_checkpoint  # noqa: E402

import benchmark  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--batches', type=int, default=5)
    parser.add_argument('--data-root', default='data_cache/toy_figures/')
    parser.add_argument('--target', default='target',
                        choices=benchmark.TARGETS)
    args = parser.parse_args(argv)
    cfg = benchmark.load_config(args.config, '/tmp/gradient_balance',
                                args.data_root, args.target, 10)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.train()
    captured = {}
    original = model.student.extract_feat

    def keep(inputs):
        feats = original(inputs)
        key = 'source' if 'source' not in captured else 'target'
        feats[-1].retain_grad()
        captured[key] = feats[-1]
        return feats

    model.student.extract_feat = keep
    norms = defaultdict(list)
    loader = iter(runner.train_dataloader)
    torch.manual_seed(0)
    for _ in range(args.batches):
        captured.clear()
        data = model.data_preprocessor(next(loader), True)
        losses = model.loss(data['inputs'], data['data_samples'])
        terms = {k: v for k, v in losses.items()
                 if k.split('.')[-1].startswith('loss') and v.requires_grad}
        for name, term in terms.items():
            grads = torch.autograd.grad(
                term, [captured['source'], captured['target']],
                retain_graph=True, allow_unused=True)
            for domain, grad in zip(('source', 'target'), grads):
                norms[f'{name} -> {domain} feats'].append(
                    0.0 if grad is None else float(grad.norm()))
            norms[f'{name} (value)'].append(float(term.detach()))
    for key, values in sorted(norms.items()):
        print(f'{key:55s} {sum(values) / len(values):.3e}')


if __name__ == '__main__':
    main()

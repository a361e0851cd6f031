"""Cost of one domain-adaptation train step against a supervised one.

    python tools/benchmark_step.py [--config configs/demo/mlda.py]
        [--paper] [--batch-size 8] [--warmup 3] [--iters 10]
        [--device cpu|cuda]

A benchmark, not a test. In one process and with the same pose model and
per-domain batch size B, it times (warm-up, then the median of N):

- MMPose's supervised ``train_step`` of the plain top-down model on B
  labelled samples;
- the full mean-teacher step: ``train_step`` of ``MeanTeacherPoseEstimator``
  on B source + B target samples (source loss, teacher on the weak view,
  occlusion, student on the strong view, warping, consistency) plus the
  teacher's EMA update that ``MeanTeacherHook`` performs.

Batches are synthetic and already collated, so data loading does not blur
the ratio; the data preprocessors still run. The DA step does about 7/3 of
the supervised work (source forward+backward, student forward+backward on
the strong view, teacher forward); the target ratio is at most 2.6.
``--paper`` switches to the paper's setting: SimpleBaseline ResNet-101,
256x256 input, 64x64 heatmaps. Peak memory: on CUDA the allocator's peak
per phase; on CPU the process's peak resident set size after each phase (a
high-water mark: the second phase includes the first).
"""
import argparse
import os.path as osp
import resource
import statistics
import sys
import time

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.optim import OptimWrapper  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmpose.registry import MODELS  # noqa: E402
from mmpose.structures import PoseDataSample  # noqa: E402
from mmengine.structures import InstanceData, PixelData  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/demo/mlda.py')
    parser.add_argument('--paper', action='store_true',
                        help='ResNet-101, 256x256 input, 64x64 heatmaps')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='samples per domain')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    return parser.parse_args()


def model_config(args):
    cfg = Config.fromfile(osp.join(REPO, args.config)).model
    pose_model = cfg.pose_model
    if args.paper:
        pose_model.backbone = dict(type='ResNet', depth=101)
        pose_model.head.in_channels = 2048
        pose_model.head.deconv_out_channels = (256, 256, 256)
        pose_model.head.decoder = dict(
            type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64),
            sigma=2)
    codec = pose_model.head.decoder
    return cfg, tuple(codec.input_size), tuple(codec.heatmap_size)


def fake_samples(num, input_size, heatmap_size, num_keypoints, view=False):
    """Collated-format inputs (uint8 images) and data samples."""
    w, h = input_size
    inputs, samples = [], []
    for _ in range(num):
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8))
        sample = PoseDataSample(metainfo=dict(input_size=input_size))
        heatmaps = torch.rand(num_keypoints, heatmap_size[1],
                              heatmap_size[0])
        sample.gt_fields = PixelData(heatmaps=heatmaps)
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(1, num_keypoints))
        if view:
            angle = np.deg2rad(np.random.uniform(-30, 30))
            affine = np.eye(3)
            affine[:2, :2] = [[np.cos(angle), -np.sin(angle)],
                              [np.sin(angle), np.cos(angle)]]
            sample.set_metainfo(
                dict(
                    view_affine=affine,
                    view_joint_order=np.arange(num_keypoints)))
        samples.append(sample)
    return inputs, samples


def peak_memory_mb(device):
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_steps(step, warmup, iters, device):
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    times = []
    for index in range(warmup + iters):
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        if index >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times), peak_memory_mb(device)


def main():
    args = parse_args()
    init_default_scope('mmpose')
    torch.manual_seed(0)
    np.random.seed(0)
    cfg, input_size, heatmap_size = model_config(args)
    num_keypoints = cfg.pose_model.head.out_channels
    batch = args.batch_size

    supervised = MODELS.build(cfg.pose_model).to(args.device).train()
    inputs, samples = fake_samples(batch, input_size, heatmap_size,
                                   num_keypoints)
    plain_data = dict(inputs=inputs, data_samples=samples)
    plain_optim = OptimWrapper(torch.optim.Adam(supervised.parameters()))

    adaptive = MODELS.build(cfg).to(args.device).train()
    adaptive.reset_teacher()
    branches = {}
    for name, view in (('source', False), ('target_weak', True),
                       ('target_strong', True)):
        branches[name] = fake_samples(batch, input_size, heatmap_size,
                                      num_keypoints, view)
    none = [None] * batch
    da_data = dict(
        inputs={
            name: (branches[name][0] + none if name == 'source' else none +
                   branches[name][0])
            for name in branches
        },
        data_samples={
            name: (branches[name][1] + none if name == 'source' else none +
                   branches[name][1])
            for name in branches
        })
    da_optim = OptimWrapper(torch.optim.Adam(adaptive.parameters()))

    def supervised_step():
        supervised.train_step(plain_data, plain_optim)

    def adaptation_step():
        adaptive.train_step(da_data, da_optim)
        with torch.no_grad():
            adaptive.teacher.update_parameters(adaptive.student)

    sup_time, sup_mem = time_steps(supervised_step, args.warmup, args.iters,
                                   args.device)
    da_time, da_mem = time_steps(adaptation_step, args.warmup, args.iters,
                                 args.device)
    backbone = cfg.pose_model.backbone
    print(f'device {args.device}, torch threads {torch.get_num_threads()}, '
          f'ResNet-{backbone.depth}, input {input_size[0]}x{input_size[1]}, '
          f'heatmaps {heatmap_size[0]}x{heatmap_size[1]}, '
          f'{batch} samples per domain, median of {args.iters} after '
          f'{args.warmup} warm-up steps')
    memory = 'peak allocated' if args.device.startswith('cuda') \
        else 'peak RSS so far'
    print(f'supervised step (B={batch}):          {sup_time:8.3f} s   '
          f'{memory} {sup_mem:8.0f} MiB')
    print(f'adaptation step (B={batch}+{batch}, EMA):   {da_time:8.3f} s   '
          f'{memory} {da_mem:8.0f} MiB')
    print(f'ratio adaptation / supervised:     {da_time / sup_time:8.2f} '
          '(target <= 2.6)')


if __name__ == '__main__':
    main()

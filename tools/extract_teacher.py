"""Write the adapted teacher (or student) as a plain MMPose top-down model.

    python tools/extract_teacher.py CONFIG CHECKPOINT OUT_DIR
        [--which {teacher,student}] [--name NAME]

CONFIG is the adaptation config (``model.type='MeanTeacherPoseEstimator'``)
and CHECKPOINT one of its checkpoints. Two files are written:

* ``OUT_DIR/NAME.pth``: the pose model's weights under MMPose's own keys
  (``backbone.*``, ``head.*``) with ``meta.dataset_meta``, so MMPose's
  ``init_model`` / ``MMPoseInferencer`` load it like any top-down checkpoint;
* ``OUT_DIR/NAME.py``: a plain top-down config: the wrapped ``pose_model``
  (with its data preprocessor) and the task's test pipeline without
  ``GenerateTarget`` (inference has no labels), scored with MMPose's
  ``PCKAccuracy``.

Use it from MMPose::

    from mmpose.apis import inference_topdown, init_model
    model = init_model('OUT_DIR/NAME.py', 'OUT_DIR/NAME.pth', device='cpu')
    results = inference_topdown(model, 'image.jpg')

The published heatmap-space protocol needs ground-truth heatmaps; score the
plain checkpoint with the adaptation config, which loads plain checkpoints::

    python tools/test.py CONFIG OUT_DIR/NAME.pth
"""
import argparse
import copy
import os
import os.path as osp
import sys

# run from a checkout without installing: make the repository importable
sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmpose.registry import MODELS  # noqa: E402

from mmpose_mlda.engine.hooks.safe_checkpoint_hook import \
    fit_state_dict  # noqa: E402
from mmpose_mlda.utils import (atomic_torch_save, atomic_write_text,  # noqa: E402
                               checkpoint_file_problem)

PREFIXES = {'teacher': 'teacher.module.', 'student': 'student.'}
# training-only config entries that a plain inference/test config drops
TRAINING_KEYS = ('train_dataloader', 'train_cfg', 'optim_wrapper',
                 'param_scheduler', 'auto_scale_lr', 'load_from', 'resume',
                 'custom_hooks')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Export the adapted teacher as a plain MMPose model')
    parser.add_argument('config', help='adaptation config file')
    parser.add_argument('checkpoint', help='adaptation checkpoint')
    parser.add_argument('out_dir', help='folder for NAME.pth and NAME.py')
    parser.add_argument(
        '--which',
        choices=sorted(PREFIXES),
        default='teacher',
        help='which network to export (the paper infers with the teacher)')
    parser.add_argument(
        '--name',
        help='output file stem (default: <config name>_<which>)')
    return parser.parse_args()


def plain_state_dict(state_dict: dict, which: str, source: str) -> dict:
    """``teacher.module.backbone.x`` -> ``backbone.x`` (or ``student.``)."""
    prefix = PREFIXES[which]
    plain = {
        k[len(prefix):]: v
        for k, v in state_dict.items() if k.startswith(prefix)
    }
    if not plain:
        example = next(iter(state_dict), '<empty>')
        raise KeyError(
            f'{source}: no "{prefix}*" weights (first key: "{example}"). '
            'Give a checkpoint written by an adaptation run '
            '(MeanTeacherPoseEstimator); a plain MMPose checkpoint needs no '
            'extraction.')
    return plain


def _strip_generate_target(dataloader: dict) -> None:
    pipeline = dataloader['dataset']['pipeline']
    dataloader['dataset']['pipeline'] = [
        step for step in pipeline if step.get('type') != 'GenerateTarget'
    ]


def _inference_dataloader(model: dict, source: str) -> dict:
    """The plain top-down test pipeline at the model's input size."""
    codec = model.get('head', {}).get('decoder') or {}
    input_size = codec.get('input_size')
    if input_size is None:
        raise KeyError(
            f'{source}: no test_dataloader and no model.head.decoder.'
            'input_size to build the inference pipeline from; give the '
            'config a test_dataloader.')
    pipeline = [
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='TopdownAffine', input_size=input_size),
        dict(type='PackPoseInputs'),
    ]
    return dict(
        batch_size=1, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='CocoDataset', data_mode='topdown',
                     test_mode=True, pipeline=pipeline))


def plain_config(cfg: Config, source: str) -> Config:
    """The adaptation config reduced to a plain top-down test config."""
    if cfg.model.get('type') != 'MeanTeacherPoseEstimator':
        raise ValueError(
            f"{source}: model.type is {cfg.model.get('type')!r}, expected "
            "'MeanTeacherPoseEstimator' (an adaptation config)")
    model = copy.deepcopy(cfg.model.pose_model)
    if model.get('data_preprocessor') is None:
        # the wrapper's preprocessor, minus the training-only style transfer
        preprocessor = copy.deepcopy(cfg.model.get('data_preprocessor'))
        if preprocessor is None:
            raise KeyError(f'{source}: neither model.pose_model nor model '
                           'has a data_preprocessor')
        preprocessor.pop('style_transfer', None)
        preprocessor['type'] = 'PoseDataPreprocessor'
        model['data_preprocessor'] = preprocessor
    model.setdefault('test_cfg', dict())
    text = dict(cfg.to_dict())
    for key in TRAINING_KEYS:
        text.pop(key, None)
    text['model'] = model
    # MMPoseInferencer reads these two
    text['data_mode'] = 'topdown'
    text['dataset_type'] = (text.get('test_dataloader') or {}).get(
        'dataset', {}).get('type', 'CocoDataset')
    text['val_cfg'] = dict(type='ValLoop')
    text['test_cfg'] = dict(type='TestLoop')
    for key in ('val_dataloader', 'test_dataloader'):
        if text.get(key):
            _strip_generate_target(text[key])
    if not text.get('test_dataloader'):
        # a folder target has no test set; inference still needs the test
        # pipeline (MMPoseInferencer and inference_topdown read it here)
        text['test_dataloader'] = _inference_dataloader(model, source)
    evaluator = dict(type='PCKAccuracy', thr=0.05)
    text['val_evaluator'] = text['test_evaluator'] = evaluator
    # the adaptation runtime saves the best *teacher* score; a plain model
    # has only one
    checkpoint = text.get('default_hooks', {}).get('checkpoint')
    if checkpoint is not None:
        checkpoint['save_best'] = 'PCK'
    return Config(text)


def extract(config: str, checkpoint: str, out_dir: str,
            which: str = 'teacher', name: str = None) -> tuple:
    """Write ``NAME.pth`` and ``NAME.py``; returns their paths."""
    if not osp.isfile(config):
        raise FileNotFoundError(f'{config} does not exist')
    problem = checkpoint_file_problem(checkpoint)
    if problem:
        error = FileNotFoundError if not osp.exists(checkpoint) else ValueError
        raise error(f'checkpoint {checkpoint} cannot be read: {problem}.')
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise FileExistsError(
            f'out_dir {out_dir} exists and is a file, not a folder: pass '
            'another out_dir (nothing was written).')
    cfg = Config.fromfile(config)
    plain_cfg = plain_config(cfg, config)
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    if 'state_dict' not in ckpt:
        raise KeyError(f'{checkpoint}: no "state_dict" (not an MMEngine '
                       'checkpoint)')
    meta = dict(ckpt.get('meta', {}))
    out_meta = {
        'exported_from': osp.abspath(checkpoint),
        'exported_network': which,
        'iter': meta.get('iter'),
    }
    if 'dataset_meta' in meta:
        out_meta['dataset_meta'] = meta['dataset_meta']
    state = plain_state_dict(ckpt['state_dict'], which, checkpoint)
    init_default_scope('mmpose')
    fit = fit_state_dict(MODELS.build(plain_cfg.model), state)
    if fit['missing'] or fit['mismatched']:
        raise ValueError(
            f'{checkpoint} does not fit the pose model of {config}: '
            f'{len(fit["mismatched"])} tensors differ in shape (e.g. '
            f'{fit["mismatched"][:2]}), {len(fit["missing"])} are missing '
            f'(e.g. {fit["missing"][:3]}). Pass the config the checkpoint '
            'was trained with; nothing was written.')

    name = name or f'{osp.splitext(osp.basename(config))[0]}_{which}'
    os.makedirs(out_dir, exist_ok=True)
    pth = osp.join(out_dir, f'{name}.pth')
    py = osp.join(out_dir, f'{name}.py')
    atomic_torch_save({'meta': out_meta, 'state_dict': state}, pth)
    atomic_write_text(py, plain_cfg.pretty_text)
    return pth, py


def main():
    args = parse_args()
    pth, py = extract(args.config, args.checkpoint, args.out_dir, args.which,
                      args.name)
    print(f'{args.which} weights: {pth}\nplain config:    {py}')


if __name__ == '__main__':
    main()

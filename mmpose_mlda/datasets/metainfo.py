"""Locate dataset metainfo files: this project's (configs/_base_/datasets)
and MMPose's own, by absolute path."""
import os.path as osp

import mmpose

_PACKAGE_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
_SEARCH_DIRS = (
    # editable install / source checkout: <repo>/configs/_base_/datasets
    osp.join(osp.dirname(_PACKAGE_DIR), 'configs', '_base_', 'datasets'),
    # packaged copy, MMPose's convention
    osp.join(_PACKAGE_DIR, '.mim', 'configs', '_base_', 'datasets'),
)


def metainfo_file(name: str) -> str:
    """Absolute path of ``configs/_base_/datasets/<name>.py``.

    Dataset classes use it as ``METAINFO = dict(from_file=...)`` so that the
    metainfo is found whatever the working directory.
    """
    for folder in _SEARCH_DIRS:
        path = osp.join(folder, f'{name}.py')
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'dataset metainfo {name}.py not found in any of {_SEARCH_DIRS}; '
        'reinstall mmpose-mlda from its source tree (pip install -e .)')


def mmpose_metainfo_file(name: str) -> str:
    """Absolute path of MMPose's own ``configs/_base_/datasets/<name>.py``
    (e.g. ``coco``, ``h36m``, ``mpi_inf_3dhp``, ``animalpose``), as MMPose
    installs it, so that it resolves without MMPose's relative-path
    fallback."""
    path = osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs',
                    '_base_', 'datasets', f'{name}.py')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'MMPose metainfo {name}.py not found at {path}; is mmpose '
            'installed with its configs (pip install mmpose)?')
    return path

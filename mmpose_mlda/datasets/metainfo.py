"""Locate this project's dataset metainfo files (configs/_base_/datasets)."""
import os.path as osp

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

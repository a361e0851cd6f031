"""Shared test helpers: paths and tiny generated data sets."""
import os.path as osp
from pathlib import Path

import pytest

import mmpose_mlda  # noqa: F401  (compat fixes before mmpose is imported)
from mmengine.registry import init_default_scope

# transforms and models built outside a Runner resolve in MMPose's registries
init_default_scope('mmpose')

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


@pytest.fixture(scope='session')
def toy_data_root(tmp_path_factory) -> str:
    """A few toy figures per split, in the layout configs/demo expects."""
    from mmpose_mlda.datasets.toy_figures import write_coco_split
    root = tmp_path_factory.mktemp('toy_figures')
    for split, domain, num, seed in (('source_train', 'source', 24, 1),
                                     ('target_train', 'target', 24, 2),
                                     ('target_test', 'target', 8, 3)):
        write_coco_split(osp.join(root, split), num, domain, seed)
    return str(root) + '/'

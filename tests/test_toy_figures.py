"""The built-in figure generator: determinism, geometry, visibility."""
import hashlib
import json
import os.path as osp

import numpy as np
import pytest

from mmpose_mlda.datasets.toy_figures import (BONES, NUM_JOINTS,
                                              render_figure, write_coco_split)


def _digest(folder):
    names = sorted(osp.join(folder, 'images', f'{i:06d}.png')
                   for i in range(3)) + [osp.join(folder, 'annotations.json')]
    return [hashlib.sha256(open(n, 'rb').read()).hexdigest() for n in names]


def test_same_seed_same_bytes(tmp_path):
    for name in ('a', 'b'):
        write_coco_split(str(tmp_path / name), 3, 'target', seed=7)
    write_coco_split(str(tmp_path / 'c'), 3, 'target', seed=8)
    assert _digest(tmp_path / 'a') == _digest(tmp_path / 'b')
    assert _digest(tmp_path / 'a') != _digest(tmp_path / 'c')


@pytest.mark.parametrize('domain', ['source', 'target'])
def test_keypoints_inside_image_and_coco_layout(tmp_path, domain):
    ann_file = write_coco_split(str(tmp_path), 20, domain, seed=1,
                                image_size=96)
    data = json.load(open(ann_file))
    assert len(data['images']) == len(data['annotations']) == 20
    for ann in data['annotations']:
        keypoints = np.array(ann['keypoints']).reshape(NUM_JOINTS, 3)
        assert (keypoints[:, :2] >= 0).all() and (keypoints[:, :2] < 96).all()
        assert set(keypoints[:, 2]) <= {1.0, 2.0}
        x, y, w, h = ann['bbox']
        assert (keypoints[:, 0] >= x - 1e-2).all()
        assert (keypoints[:, 0] <= x + w + 1e-2).all()
        assert (keypoints[:, 1] <= y + h + 1e-2).all()


def _own_labels(joint):
    labels = {0} if joint == 9 else set()
    for index, (parent, child, _, _) in enumerate(BONES):
        if joint in (parent, child):
            labels.add(index + 1)
    return labels


@pytest.mark.parametrize('domain', ['source', 'target'])
def test_visibility_matches_what_was_drawn(domain):
    rng = np.random.default_rng(3)
    counts = np.zeros(2)
    for _ in range(40):
        image, keypoints, part_map = render_figure(rng, 128, domain)
        for joint, (x, y, v) in enumerate(keypoints):
            top = part_map[int(round(y)), int(round(x))]
            # every joint lies on something painted (its limb or a cover)
            assert top >= 0
            assert (v == 2) == (top in _own_labels(joint))
            counts[int(v) - 1] += 1
    # occlusion happens, but most joints are visible
    assert 0 < counts[0] < counts[1]


def test_target_is_occluded_more_often_than_source():
    rng = np.random.default_rng(5)
    occluded = {}
    for domain in ('source', 'target'):
        flags = [render_figure(rng, 96, domain)[1][:, 2] for _ in range(60)]
        occluded[domain] = float(np.mean(np.array(flags) == 1))
    assert occluded['target'] > occluded['source']


def test_source_is_flat_target_is_textured():
    rng = np.random.default_rng(0)
    source, _, source_parts = render_figure(rng, 96, 'source')
    target, _, target_parts = render_figure(rng, 96, 'target')
    source_bg = source[source_parts < 0].reshape(-1, 3)
    target_bg = target[target_parts < 0].reshape(-1, 3)
    assert source_bg.std(0).max() == 0  # plain background
    assert target_bg.std(0).min() > 10  # clutter


def test_unknown_domain():
    with pytest.raises(ValueError, match='domain'):
        render_figure(np.random.default_rng(0), 64, 'painting')

"""Seeded stick-figure images with a domain gap, in COCO keypoint format.

A small, fast data source for tests and the quick demo: a Body16 figure
(MPII joint order, so MMPose's ``mpii.py`` metainfo applies) drawn with
random joint angles, limb lengths, scale and position. Two styles:

- ``source``: flat limbs in a small palette on a plain background;
- ``target``: other limb colours on a textured background with limb-like
  distractor lines, lighting gradient, blur and sensor noise.

``write_coco_split`` writes ``<out_dir>/images/*.png`` and
``<out_dir>/annotations.json``. Same arguments, same bytes.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Tuple

import cv2
import numpy as np

# Body16 / MPII: 0 r_ankle 1 r_knee 2 r_hip 3 l_hip 4 l_knee 5 l_ankle
# 6 pelvis 7 thorax 8 upper_neck 9 head 10 r_wrist 11 r_elbow 12 r_shoulder
# 13 l_shoulder 14 l_elbow 15 l_wrist
# (parent, child, length relative to torso, angle range in degrees relative
# to the parent bone's direction)
_BONES: List[Tuple[int, int, float, Tuple[float, float]]] = [
    (6, 7, 1.0, (-15, 15)),  # torso (from pelvis, relative to "up")
    (7, 8, 0.25, (-10, 10)),
    (8, 9, 0.3, (-20, 20)),
    (7, 12, 0.35, (80, 100)),  # shoulders sideways from the torso
    (7, 13, 0.35, (-100, -80)),
    (12, 11, 0.55, (-60, 120)),
    (11, 10, 0.5, (-10, 140)),
    (13, 14, 0.55, (-120, 60)),
    (14, 15, 0.5, (-140, 10)),
    (6, 2, 0.25, (80, 100)),  # hips sideways from the pelvis
    (6, 3, 0.25, (-100, -80)),
    (2, 1, 0.8, (70, 120)),  # thighs down
    (1, 0, 0.75, (-5, 110)),
    (3, 4, 0.8, (-120, -70)),
    (4, 5, 0.75, (-110, 5)),
]
_SOURCE_PALETTE = [(200, 60, 60), (60, 160, 60), (60, 60, 200),
                   (200, 200, 60)]
_TARGET_PALETTE = [(150, 110, 90), (90, 70, 140), (40, 130, 130),
                   (170, 150, 200)]


def _pose(rng: np.random.Generator, size: int) -> np.ndarray:
    """(16, 2) joint positions of one random figure inside the image."""
    torso = rng.uniform(0.22, 0.3) * size
    joints = np.zeros((16, 2))
    # each bone's angle is relative to its parent's incoming bone; the
    # pelvis "bone" points up (image y points down)
    direction = {6: -90.0}
    for parent, child, length, (low, high) in _BONES:
        angle = direction[parent] + rng.uniform(low, high)
        direction[child] = angle
        scale = length * torso * rng.uniform(0.85, 1.15)
        joints[child] = joints[parent] + scale * np.array(
            [np.cos(np.deg2rad(angle)),
             np.sin(np.deg2rad(angle))])
    rotation = np.deg2rad(rng.uniform(-25, 25))
    rot = np.array([[np.cos(rotation), -np.sin(rotation)],
                    [np.sin(rotation), np.cos(rotation)]])
    joints = joints @ rot.T
    span = joints.max(0) - joints.min(0)
    margin = 0.08 * size
    offset = rng.uniform(margin - joints.min(0),
                         np.maximum(size - margin - joints.max(0),
                                    margin - joints.min(0) + 1e-3))
    joints = joints + offset
    if np.any(span > size - 2 * margin):  # too large: shrink around centre
        centre = joints.mean(0)
        joints = centre + (joints - centre) * (size - 2 * margin) / span.max()
        joints += size / 2 - joints.mean(0)
    return joints


def _background(rng: np.random.Generator, size: int,
                domain: str) -> np.ndarray:
    if domain == 'source':
        return np.full((size, size, 3), rng.integers(200, 256, 3),
                       dtype=np.uint8)
    noise = rng.normal(0, 1, (size // 8, size // 8, 3))
    texture = cv2.resize(noise, (size, size), interpolation=cv2.INTER_CUBIC)
    image = 110 + 40 * texture
    gradient = np.linspace(-40, 40, size)[None, :, None]
    image = np.clip(image + gradient, 0, 255).astype(np.uint8)
    for _ in range(rng.integers(2, 5)):  # limb-like distractors
        p1, p2 = rng.uniform(0, size, (2, 2)).astype(int)
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.line(image, tuple(p1), tuple(p2), color,
                 int(rng.integers(2, 5)))
    return image


def render_figure(rng: np.random.Generator, size: int,
                  domain: str) -> Tuple[np.ndarray, np.ndarray]:
    """One BGR image (size, size, 3) and its (16, 2) keypoints."""
    if domain not in ('source', 'target'):
        raise ValueError(f"domain must be 'source' or 'target', got {domain}")
    joints = _pose(rng, size)
    image = _background(rng, size, domain)
    palette = _SOURCE_PALETTE if domain == 'source' else _TARGET_PALETTE
    width = max(2, size // 24)
    for index, (parent, child, _, _) in enumerate(_BONES):
        color = palette[index % len(palette)]
        cv2.line(image, tuple(np.round(joints[parent]).astype(int)),
                 tuple(np.round(joints[child]).astype(int)), color, width,
                 cv2.LINE_AA)
    head = np.round(joints[9]).astype(int)
    cv2.circle(image, tuple(head), max(3, size // 14), palette[0], -1,
               cv2.LINE_AA)
    if domain == 'target':
        image = cv2.GaussianBlur(image, (3, 3), rng.uniform(0.3, 1.0))
        image = np.clip(image + rng.normal(0, 8, image.shape), 0,
                        255).astype(np.uint8)
    return image, joints


def write_coco_split(out_dir: str, num_images: int, domain: str, seed: int,
                     image_size: int = 96) -> str:
    """Write ``num_images`` figures of ``domain``; returns the json path."""
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(out_dir, 'images'), exist_ok=True)
    images: List[Dict] = []
    annotations: List[Dict] = []
    for index in range(num_images):
        image, joints = render_figure(rng, image_size, domain)
        name = f'{index:06d}.png'
        cv2.imwrite(osp.join(out_dir, 'images', name), image)
        x0, y0 = joints.min(0)
        x1, y1 = joints.max(0)
        keypoints = np.concatenate([joints, np.full((16, 1), 2.0)], 1)
        images.append(
            dict(id=index, file_name=name, width=image_size,
                 height=image_size))
        annotations.append(
            dict(
                id=index,
                image_id=index,
                category_id=1,
                bbox=[float(x0), float(y0),
                      float(x1 - x0), float(y1 - y0)],
                area=float((x1 - x0) * (y1 - y0)),
                iscrowd=0,
                num_keypoints=16,
                keypoints=[round(float(v), 2) for v in keypoints.ravel()]))
    ann_file = osp.join(out_dir, 'annotations.json')
    with open(ann_file, 'w') as f:
        json.dump(
            dict(
                images=images,
                annotations=annotations,
                categories=[dict(id=1, name='person')]), f)
    return ann_file

"""Seeded 2D human figures with a synthetic-to-real domain gap.

The built-in benchmark: a Body16 figure (MPII joint order, so MMPose's
``mpii.py`` metainfo applies) with joint-angle limits, varied limb
proportions, scale, rotation and position. Two domains differ the way
rendered and photographed people do:

- ``source`` ("rendered"): flat or simply shaded limbs in a small palette on
  a plain background;
- ``target`` ("photographed"): other clothing/skin palettes on a cluttered
  textured background with limb-like distractors, a lighting gradient,
  partial occluders, blur, sensor noise and JPEG artefacts;
- ``thermal`` (a second target family, another kind of shift: a thermal
  camera): one intensity channel where warm skin is bright and clothing
  cooler, a dark background with warm blobs and pipes, cold occluders,
  strong optical blur, column fixed-pattern noise, shown white-hot grey or
  through an "inferno" false-colour map.

Visibility follows the drawing: limbs are painted back to front into a part
map, and a joint is marked occluded (COCO ``v=1``) when the part on top at
its pixel is not one of its own limbs, or an occluder covers it; ``v=2``
otherwise. ``write_coco_split`` writes ``<out_dir>/images/*.png`` and
``<out_dir>/annotations.json``. Same arguments, same bytes.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Tuple

import cv2
import numpy as np

NUM_JOINTS = 16
# Body16 / MPII: 0 r_ankle 1 r_knee 2 r_hip 3 l_hip 4 l_knee 5 l_ankle
# 6 pelvis 7 thorax 8 upper_neck 9 head 10 r_wrist 11 r_elbow 12 r_shoulder
# 13 l_shoulder 14 l_elbow 15 l_wrist
# (parent, child, length relative to the torso, angle range in degrees
# relative to the parent bone; image y points down)
BONES: List[Tuple[int, int, float, Tuple[float, float]]] = [
    (6, 7, 1.0, (-15, 15)),  # torso, from a virtual "up" pelvis bone
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
_LEFT = {3, 4, 5, 13, 14, 15}
_RIGHT = {0, 1, 2, 10, 11, 12}
_SOURCE_PALETTE = [(200, 60, 60), (60, 160, 60), (60, 60, 200),
                   (200, 200, 60)]
_TARGET_PALETTE = [(150, 110, 90), (90, 70, 140), (40, 130, 130),
                   (170, 150, 200), (60, 90, 160), (120, 160, 210)]
_OCCLUDER = len(BONES) + 1  # part-map label of occluders (head is 0)


def _pose(rng: np.random.Generator, size: int) -> np.ndarray:
    """(16, 2) joint positions of one random figure inside the image."""
    torso = rng.uniform(0.22, 0.3) * size
    joints = np.zeros((NUM_JOINTS, 2))
    direction = {6: -90.0}
    for parent, child, length, (low, high) in BONES:
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
    margin = 0.08 * size
    span = (joints.max(0) - joints.min(0)).max()
    if span > size - 2 * margin:  # too large: shrink
        joints *= (size - 2 * margin) / span
    low = margin - joints.min(0)
    high = size - margin - joints.max(0)
    return joints + rng.uniform(low, np.maximum(high, low))


DOMAINS = ('source', 'target', 'thermal')


def _background(rng: np.random.Generator, size: int,
                domain: str) -> np.ndarray:
    if domain == 'thermal':
        cells = int(rng.integers(2, 6))
        heat = cv2.resize(rng.normal(0, 1, (cells, cells)), (size, size),
                          interpolation=cv2.INTER_CUBIC)
        image = np.clip(rng.uniform(25, 70) + 18 * heat, 0, 255)
        for _ in range(rng.integers(1, 4)):  # warm pipes and lamps
            p1, p2 = rng.uniform(0, size, (2, 2)).astype(int)
            warm = float(rng.uniform(110, 200))
            cv2.line(image, tuple(map(int, p1)), tuple(map(int, p2)), warm,
                     int(rng.integers(2, max(3, size // 16))))
        return np.repeat(image[..., None], 3, -1).astype(np.uint8)
    if domain == 'source':
        return np.full((size, size, 3), rng.integers(200, 256, 3),
                       dtype=np.uint8)
    cells = int(rng.integers(3, 8))
    noise = rng.normal(0, 1, (cells, cells, 3))
    texture = cv2.resize(noise, (size, size), interpolation=cv2.INTER_CUBIC)
    base = rng.uniform(70, 170, 3)
    image = np.clip(base + 25 * texture, 0, 255).astype(np.uint8)
    for _ in range(rng.integers(1, 4)):  # limb-like distractors
        p1, p2 = rng.uniform(0, size, (2, 2)).astype(int)
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.line(image, tuple(map(int, p1)), tuple(map(int, p2)), color,
                 int(rng.integers(1, max(2, size // 24))), cv2.LINE_AA)
    return image


def _draw_order(rng: np.random.Generator) -> List[int]:
    """Bone indices back to front: the far side first, then the torso, the
    near side last (which side is near is random)."""
    far, near = (_LEFT, _RIGHT) if rng.random() < 0.5 else (_RIGHT, _LEFT)
    far_bones = [i for i, b in enumerate(BONES) if b[1] in far]
    near_bones = [i for i, b in enumerate(BONES) if b[1] in near]
    middle = [
        i for i in range(len(BONES)) if i not in far_bones + near_bones
    ]
    return far_bones + middle + near_bones


def _visibility(part_map: np.ndarray, joints: np.ndarray) -> np.ndarray:
    """(16,) COCO visibility: 2 where a joint's own limb (or the head) is
    on top at its pixel, 1 where something else covers it."""
    own = {j: {0} if j == 9 else set() for j in range(NUM_JOINTS)}
    for index, (parent, child, _, _) in enumerate(BONES):
        own[parent].add(index + 1)
        own[child].add(index + 1)
    size = part_map.shape[0]
    flags = np.full(NUM_JOINTS, 2.0)
    for j, (x, y) in enumerate(np.round(joints).astype(int)):
        top = part_map[min(max(y, 0), size - 1), min(max(x, 0), size - 1)]
        if top not in own[j]:
            flags[j] = 1.0
    return flags


def render_figure(rng: np.random.Generator, size: int,
                  domain: str) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One figure.

    Returns:
        tuple: BGR image (size, size, 3) uint8; keypoints (16, 3) as
        (x, y, COCO visibility 1|2); part map (size, size) int with the
        label of the part on top per pixel (-1 background, 0 head, i+1
        bone i, ``len(BONES)+1`` occluder), for tests and debugging.
    """
    if domain not in DOMAINS:
        raise ValueError(f'domain must be one of {DOMAINS}, got {domain!r}')
    joints = _pose(rng, size)
    image = _background(rng, size, domain)
    part_map = np.full((size, size), -1, dtype=np.int32)
    if domain == 'thermal':  # skin warm, clothing cooler (grey levels)
        colors = [(t, t, t) for t in rng.uniform(120, 230, 3).astype(int)]
    else:
        palette = _SOURCE_PALETTE if domain == 'source' else _TARGET_PALETTE
        colors = [palette[i] for i in rng.integers(0, len(palette), 3)]
    width = max(2, int(size * rng.uniform(0.035, 0.055)))

    def paint(draw, label, color):
        mask = np.zeros((size, size), dtype=np.uint8)
        draw(mask, 255)
        covered = mask > 127
        part_map[covered] = label
        if domain == 'source' and rng.random() < 0.5:  # simple shading
            shade = np.clip(np.array(color) * 0.75, 0, 255)
            draw(image, tuple(int(c) for c in shade))
            shrunk = cv2.erode(mask, np.ones((3, 3), np.uint8))
            image[shrunk > 127] = color
        else:
            image[covered] = color

    head_radius = max(3, int(size * rng.uniform(0.06, 0.08)))
    for index in _draw_order(rng):
        parent, child = BONES[index][:2]
        p1 = tuple(int(v) for v in np.round(joints[parent]))
        p2 = tuple(int(v) for v in np.round(joints[child]))
        color = colors[0 if child in (7, 8, 2, 3) else
                       1 if child in (10, 11, 12, 13, 14, 15) else 2]
        paint(lambda canvas, c, p1=p1, p2=p2: cv2.line(
            canvas, p1, p2, c, width), index + 1, color)
        if child == 8:  # the head sits on the neck
            head = tuple(int(v) for v in np.round(joints[9]))
            paint(lambda canvas, c: cv2.circle(canvas, head, head_radius, c,
                                                -1), 0, colors[0])

    if domain == 'target':
        for _ in range(rng.integers(0, 3)):  # partial occluders
            center = rng.uniform(0.2, 0.8, 2) * size
            axes = (rng.uniform(0.06, 0.16, 2) * size).astype(int)
            color = tuple(int(c) for c in rng.integers(0, 256, 3))
            paint(lambda canvas, c: cv2.ellipse(
                canvas, tuple(int(v) for v in center), tuple(map(int, axes)),
                float(rng.uniform(0, 180)), 0, 360, c, -1), _OCCLUDER, color)
        gradient = np.linspace(rng.uniform(0.6, 0.9), rng.uniform(1.0, 1.3),
                               size)
        if rng.random() < 0.5:
            gradient = gradient[:, None, None]
        else:
            gradient = gradient[None, :, None]
        image = np.clip(image * gradient, 0, 255).astype(np.uint8)
        image = cv2.GaussianBlur(image, (5, 5), rng.uniform(0.3, 1.0))
        image = np.clip(image + rng.normal(0, 4, image.shape), 0,
                        255).astype(np.uint8)
        quality = int(rng.integers(40, 80))
        _, encoded = cv2.imencode('.jpg', image,
                                  [cv2.IMWRITE_JPEG_QUALITY, quality])
        image = cv2.imdecode(encoded, cv2.IMREAD_COLOR)

    if domain == 'thermal':
        for _ in range(rng.integers(0, 3)):  # cold occluders
            center = rng.uniform(0.2, 0.8, 2) * size
            axes = (rng.uniform(0.06, 0.16, 2) * size).astype(int)
            cold = int(rng.integers(5, 40))
            paint(lambda canvas, c: cv2.ellipse(
                canvas, tuple(int(v) for v in center), tuple(map(int, axes)),
                float(rng.uniform(0, 180)), 0, 360, c, -1), _OCCLUDER,
                (cold, cold, cold))
        image = _thermal_sensor(rng, image[..., 0])

    keypoints = np.concatenate(
        [joints, _visibility(part_map, joints)[:, None]], 1)
    return image, keypoints, part_map


def _thermal_sensor(rng: np.random.Generator,
                    intensity: np.ndarray) -> np.ndarray:
    """Blur, fixed-pattern and temporal noise of a thermal camera on a
    (size, size) intensity image; white-hot grey or "inferno" colours."""
    size = intensity.shape[0]
    image = cv2.GaussianBlur(intensity.astype(np.float32), (0, 0),
                             rng.uniform(1.0, 2.2))
    image += rng.normal(0, 4, (1, size)) + rng.normal(0, 3, image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        return cv2.applyColorMap(image, cv2.COLORMAP_INFERNO)
    return np.repeat(image[..., None], 3, -1)


def write_coco_split(out_dir: str,
                     num_images: int,
                     domain: str,
                     seed: int,
                     image_size: int = 128,
                     progress: bool = False) -> str:
    """Write ``num_images`` figures of ``domain``; returns the json path.

    Images are lossless PNG (the target's JPEG artefacts are baked in before
    saving), so the same arguments give the same bytes.
    """
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(out_dir, 'images'), exist_ok=True)
    images: List[Dict] = []
    annotations: List[Dict] = []
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(num_images)
    for index in range(num_images):
        image, keypoints, _ = render_figure(rng, image_size, domain)
        name = f'{index:06d}.png'
        cv2.imwrite(osp.join(out_dir, 'images', name), image)
        x0, y0 = keypoints[:, :2].min(0)
        x1, y1 = keypoints[:, :2].max(0)
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
                num_keypoints=NUM_JOINTS,
                keypoints=[round(float(v), 2) for v in keypoints.ravel()]))
        if bar is not None:
            bar.update()
    ann_file = osp.join(out_dir, 'annotations.json')
    with open(ann_file, 'w') as f:
        json.dump(
            dict(
                images=images,
                annotations=annotations,
                categories=[dict(id=1, name='person')]), f)
    return ann_file

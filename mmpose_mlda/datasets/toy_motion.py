"""Procedural 3D human motion seen by two camera setups: the built-in lifting
benchmark of PoseDA (``tools/demo_lifting.py``).

Written by hand (no small, redistributable mocap set exists for a CPU demo).
A Human3.6M-17 skeleton with per-subject bone lengths is driven by
forward kinematics from smooth joint-angle curves: walking gait (hip/knee
swing, arm counter-swing), squatting, arm raises (flexion and abduction),
elbow flexion, trunk bending and twisting, on a circular ground path. The two
domains differ like Human3.6M and MPI-INF-3DHP do:

* **source** (H36M-like): 4 cameras at 1.4-1.8 m height, 4.5-5.5 m away,
  f = 1145 px, 1000x1000 images centred on the capture area; mostly walking,
  mild squats and arm raises.
* **target** (3DHP-like): cameras at 0.9-2.2 m height, 2.6-3.4 m away,
  f = 2100 px on 2048x2048 images with the principal point 5-10 % of the
  width off-centre sideways and 3-8 % downwards; test sequences TS5/TS6 use
  1920x1080 cameras with f = 1950 px. The person is ~1.5x larger on screen
  than in the source and off-centre. Deeper squats, larger arm raises,
  more bending; other subjects.

Two target families (``family``), each testing one kind of gap:

* ``'3dhp'`` (the default, above): the cameras AND the pose statistics
  differ; most of the error a source-only lifter makes is global (where the
  person is on screen and how large), which GPA removes.
* ``'local'``: the target is seen by the source's own camera setup
  (H36M-like: nothing for GPA to align beyond subject-to-subject spread),
  but its poses hold local structure the source never shows: arm raises and
  abductions, elbow and knee flexions, trunk bends and twists that start
  where the source's ranges end, and bone proportions twice as varied
  (limb lengths 0.85-1.15 of the template against 0.93-1.07). This is the
  gap local pose augmentation (LPA) is meant for, as real 3DHP's exercise,
  crouching and reaching poses are relative to Human3.6M.

Files are written in the on-disk layouts of the real datasets, so the
benchmark goes through MMPose's ``Human36mDataset`` and this project's
``MpiInf3dhpDataset`` (3DHP joint order, converted to H36M by the adapter):

    <root>/source/h36m_train.npz, cameras.pkl
    <root>/target/3dhp_train.npz, cameras_train.pkl
    <root>/target/3dhp_test.npz,  cameras_test.pkl

``python -m mmpose_mlda.datasets.toy_motion <root>`` writes them.
"""
import json
import os
import os.path as osp
import pickle
import sys
from typing import Dict, Tuple

import numpy as np

from .joint_sets import get_mapping

VERSION = 3
H36M_PARENTS = (-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15)
# rest offsets (child relative to parent), person frame: x left, y up,
# z forward; metres
_OFFSETS = np.array([
    [0, 0, 0], [-0.13, 0, 0], [0, -0.44, 0], [0, -0.44, 0],
    [0.13, 0, 0], [0, -0.44, 0], [0, -0.44, 0], [0, 0.24, 0],
    [0, 0.26, 0], [0, 0.10, 0.04], [0, 0.12, -0.02], [0.15, -0.02, 0],
    [0, -0.28, 0], [0, -0.25, 0], [-0.15, -0.02, 0], [0, -0.28, 0],
    [0, -0.25, 0]
], dtype=np.float64)

# per-domain ranges of the motion parameters (uniform)
MOTION_STATS = dict(
    source=dict(walk=(0.15, 0.5), squat=(0.0, 0.4), raise_=(0.0, 0.6),
                abduct=(0.0, 0.5), elbow=(0.0, 0.8), bend=(0.0, 0.3),
                twist=(0.0, 0.2), height=(0.92, 1.08)),
    target=dict(walk=(0.0, 0.4), squat=(0.2, 1.2), raise_=(0.3, 2.2),
                abduct=(0.0, 1.4), elbow=(0.0, 1.8), bend=(0.1, 0.8),
                twist=(0.0, 0.5), height=(0.85, 1.15)),
    # each articulation's range starts where the source's ends (fixed
    # before any training; the slow oscillation still passes through the
    # neutral pose, so target poses overlap the source's near it)
    local=dict(walk=(0.0, 0.3), squat=(0.4, 1.0), raise_=(0.6, 1.4),
               abduct=(0.5, 1.2), elbow=(0.8, 1.6), bend=(0.3, 0.7),
               twist=(0.2, 0.5), height=(0.9, 1.1),
               proportions=(0.85, 1.15)),
)
#: target family -> (motion statistics, train camera setup, test setups)
TARGET_FAMILIES = {
    '3dhp': ('target', 'target', ('target', ) * 4 + ('target_wide', ) * 2),
    'local': ('local', 'source', ('source', ) * 6),
}


def _rx(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _ry(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rz(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def _fk(local_rot: Dict[int, np.ndarray], offsets: np.ndarray) -> np.ndarray:
    """Forward kinematics in the person frame, root at the origin.
    ``local_rot[j]`` rotates the bones of j's children (and below)."""
    glob = [None] * 17
    pos = np.zeros((17, 3))
    for j, p in enumerate(H36M_PARENTS):
        if p < 0:
            glob[j] = local_rot.get(j, np.eye(3))
            continue
        pos[j] = pos[p] + glob[p] @ offsets[j]
        glob[j] = glob[p] @ local_rot.get(j, np.eye(3))
    return pos


def _subject_offsets(rng, stats) -> np.ndarray:
    height = rng.uniform(*stats['height'])
    jitter = rng.uniform(*stats.get('proportions', (0.93, 1.07)), size=17)
    # symmetric jitter
    for a, b in ((1, 4), (2, 5), (3, 6), (11, 14), (12, 15), (13, 16)):
        jitter[b] = jitter[a]
    return _OFFSETS * height * jitter[:, None]


def simulate_sequence(rng, stats: dict, offsets: np.ndarray,
                      num_frames: int, fps: float = 25.) -> np.ndarray:
    """World-frame joints (Y up) of one sequence: (F, 17, 3), metres."""
    u = lambda k: rng.uniform(*stats[k])  # noqa: E731
    walk, squat, raise_f, raise_a = u('walk'), u('squat'), u('raise_'), u(
        'abduct')
    elbow, bend, twist = u('elbow'), u('bend'), u('twist')
    f_gait = rng.uniform(0.8, 1.0)
    f_slow = rng.uniform(0.1, 0.3, size=6)
    ph = rng.uniform(0, 2 * np.pi, size=8)
    radius = rng.uniform(0.5, 1.5)
    speed = 0.2 + 2.0 * walk
    t = np.arange(num_frames) / fps
    out = np.zeros((num_frames, 17, 3))
    for i, ti in enumerate(t):
        phi = 2 * np.pi * f_gait * ti
        slow = 0.5 - 0.5 * np.cos(2 * np.pi * f_slow * ti + ph[:6])
        sq = squat * slow[0]
        hip_r = walk * np.sin(phi) + sq
        hip_l = -walk * np.sin(phi) + sq
        knee_r = 1.2 * walk * max(0., np.sin(phi + 0.6)) + 0.05 + 2 * sq
        knee_l = 1.2 * walk * max(0., np.sin(phi + np.pi + 0.6)) + 0.05 + \
            2 * sq
        sh_l = -0.8 * walk * np.sin(phi + np.pi) + raise_f * slow[1]
        sh_r = -0.8 * walk * np.sin(phi) + raise_f * slow[2]
        ab_l, ab_r = 0.1 + raise_a * slow[3], 0.1 + raise_a * slow[4]
        el = 0.15 + elbow * slow[5]
        rot = {
            0: _rx(0.05 * np.sin(ph[6])),
            1: _rx(-hip_r), 2: _rx(knee_r), 4: _rx(-hip_l), 5: _rx(knee_l),
            3: _rx(-0.3 * sq), 6: _rx(-0.3 * sq),
            7: _ry(twist * np.sin(0.7 * phi + ph[7])) @ _rx(
                bend * slow[0] + 0.5 * sq),
            11: _rz(ab_l) @ _rx(-sh_l), 12: _rx(-el),
            14: _rz(-ab_r) @ _rx(-sh_r), 15: _rx(-el * 1.1),
        }
        pose = _fk(rot, offsets)
        pose[:, 1] -= pose[[3, 6], 1].min()  # stand on the ground (y = 0)
        ang = speed / radius * ti + ph[0]
        heading = ang + np.pi / 2 + 0.3 * np.sin(ph[1] + 0.5 * ti)
        root_xz = radius * np.array([np.cos(ang), np.sin(ang)])
        world = pose @ _ry(heading).T
        world[:, 0] += root_xz[0]
        world[:, 2] += root_xz[1]
        out[i] = world
    return out


def look_at_camera(position, target) -> np.ndarray:
    """World (Y up) -> camera (x right, y down, z forward) rotation."""
    z = np.asarray(target, float) - np.asarray(position, float)
    z /= np.linalg.norm(z)
    x = np.cross(z, [0, 1, 0])
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    return np.stack([x, y, z])


def make_camera(rng, setup: str, name: str) -> dict:
    """One camera of ``setup`` ('source', 'target', 'target_wide')."""
    az = rng.uniform(0, 2 * np.pi)
    if setup == 'source':
        dist, height = rng.uniform(4.5, 5.5), rng.uniform(1.4, 1.8)
        look = np.array([0, 0.9, 0]) + rng.normal(0, 0.1, 3)
        f, w, h = 1145., 1000, 1000
        c = np.array([500., 500.]) + rng.normal(0, 8, 2)
    else:
        # 3DHP-like: closer (2.6-3.4 m vs 4.5-5.5 m), a moderately wider
        # range of heights (0.9-2.2 m vs 1.4-1.8 m), a longer normalised
        # focal length (f / (w/2) = 2.05 and 2.03 vs 2.29, at ~0.6x the
        # distance) and an off-centre principal point. On screen the person
        # is ~1.5x larger than in the source and sits off-centre and lower:
        # the global-position gap that GPA is meant to remove.
        dist, height = rng.uniform(2.6, 3.4), rng.uniform(0.9, 2.2)
        look = np.array([0, 0.9, 0]) + rng.normal(0, 0.1, 3)
        if setup == 'target_wide':
            f, w, h = 1950., 1920, 1080
        else:
            f, w, h = 2100., 2048, 2048
        c = np.array([w / 2, h / 2]) + np.array(
            [rng.choice([-1., 1.]) * rng.uniform(0.05, 0.10) * w,
             rng.uniform(0.03, 0.08) * w])
    pos = np.array([dist * np.cos(az), height, dist * np.sin(az)])
    R = look_at_camera(pos, look)
    fxy = f * np.array([1., 1.]) + rng.normal(0, 3, 2)
    return dict(R=R, T=pos.reshape(3, 1), c=c.reshape(2, 1),
                f=fxy.reshape(2, 1), w=w, h=h, name=name)


def observe(world: np.ndarray, cam: dict) -> Tuple[np.ndarray, np.ndarray]:
    """(F, K, 3) world joints -> camera-frame joints and pixel 2D."""
    cam_pts = (world - cam['T'].reshape(1, 1, 3)) @ cam['R'].T
    uv = cam_pts[..., :2] / cam_pts[..., 2:3] * cam['f'].reshape(
        1, 1, 2) + cam['c'].reshape(1, 1, 2)
    return cam_pts, uv


def _records(cam_pts, uv, names, joint_gather=None):
    if joint_gather is not None:
        cam_pts, uv = cam_pts[:, joint_gather], uv[:, joint_gather]
    n, k = uv.shape[:2]
    ones = np.ones((n, k, 1))
    lo, hi = uv.min(1), uv.max(1)
    return dict(
        imgname=np.array(names),
        center=((lo + hi) / 2).astype(np.float32),
        scale=((hi - lo).max(1) * 1.2 / 200).astype(np.float32),
        part=np.concatenate([uv, ones], -1).astype(np.float32),
        S=np.concatenate([cam_pts, ones], -1).astype(np.float32))


def _concat(recs):
    return {k: np.concatenate([r[k] for r in recs]) for k in recs[0]}


H36M_CAMERA_IDS = ('54138969', '55011271', '58860488', '60457274')


def generate(root: str, seed: int = 0, frames: int = 200,
             stride: int = 2, family: str = '3dhp') -> dict:
    """Write the benchmark files of target ``family`` (see the module
    docstring) under ``root``; returns a summary dict."""
    if family not in TARGET_FAMILIES:
        raise ValueError(f'toy_motion: unknown target family {family!r}; '
                         f'choose from {sorted(TARGET_FAMILIES)}')
    stats_key, train_setup, test_setups = TARGET_FAMILIES[family]
    target_stats = MOTION_STATS[stats_key]
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(root, 'source'), exist_ok=True)
    os.makedirs(osp.join(root, 'target'), exist_ok=True)
    # ---- source: H36M layout, 5 subjects x 2 actions x 4 cameras
    cams = {}
    recs = []
    for subj in ('S1', 'S5', 'S6', 'S7', 'S8'):
        offsets = _subject_offsets(rng, MOTION_STATS['source'])
        for cam_id in H36M_CAMERA_IDS:
            cams[(subj, cam_id)] = make_camera(rng, 'source', cam_id)
        for action in ('Walking', 'Posing'):
            world = simulate_sequence(rng, MOTION_STATS['source'], offsets,
                                      frames)[::stride]
            for cam_id in H36M_CAMERA_IDS:
                cam_pts, uv = observe(world, cams[(subj, cam_id)])
                vid = f'{subj}_{action}.{cam_id}'
                names = [f'{subj}/{vid}/{vid}_{i * stride + 1:06d}.jpg'
                         for i in range(len(world))]
                recs.append(_records(cam_pts, uv, names))
    src = _concat(recs)
    np.savez(osp.join(root, 'source', 'h36m_train.npz'), **src)
    with open(osp.join(root, 'source', 'cameras.pkl'), 'wb') as f:
        pickle.dump(cams, f)
    # ---- target: 3DHP layout and joint order
    pairs = get_mapping('h36m', 'mpi_inf_3dhp')
    gather = np.array([s for s, _ in sorted(pairs, key=lambda p: p[1])])
    cams, recs = {}, []
    for subj in ('S1', 'S2', 'S3', 'S4'):
        offsets = _subject_offsets(rng, target_stats)
        for seq in ('Seq1', 'Seq2'):
            world = simulate_sequence(rng, target_stats, offsets,
                                      frames)[::stride]
            for cam_n in (0, 2, 4, 8):
                key = f'{subj}_{seq}_Cam{cam_n}'
                cams[key] = make_camera(rng, train_setup,
                                        f'train_cam_{cam_n}')
                cam_pts, uv = observe(world, cams[key])
                names = [f'{key}_{i * stride + 1:06d}.jpg'
                         for i in range(len(world))]
                recs.append(_records(cam_pts, uv, names, gather))
    tgt_train = _concat(recs)
    np.savez(osp.join(root, 'target', '3dhp_train.npz'), **tgt_train)
    with open(osp.join(root, 'target', 'cameras_train.pkl'), 'wb') as f:
        pickle.dump(cams, f)
    cams, recs = {}, []
    for ts in range(1, 7):
        key = f'TS{ts}'
        offsets = _subject_offsets(rng, target_stats)
        world = simulate_sequence(rng, target_stats, offsets,
                                  frames)[::stride]
        cams[key] = make_camera(rng, test_setups[ts - 1], f'test_cam_{ts}')
        cam_pts, uv = observe(world, cams[key])
        names = [f'{key}_{i * stride + 1:06d}.jpg' for i in range(len(world))]
        recs.append(_records(cam_pts, uv, names, gather))
    tgt_test = _concat(recs)
    np.savez(osp.join(root, 'target', '3dhp_test.npz'), **tgt_test)
    with open(osp.join(root, 'target', 'cameras_test.pkl'), 'wb') as f:
        pickle.dump(cams, f)
    summary = dict(version=VERSION, seed=seed, family=family,
                   frames=frames, stride=stride,
                   source=len(src['imgname']),
                   target_train=len(tgt_train['imgname']),
                   target_test=len(tgt_test['imgname']))
    with open(osp.join(root, 'summary.json'), 'w') as f:
        json.dump(summary, f)
    return summary


def ensure_generated(root: str, seed: int = 0, family: str = '3dhp',
                     **kwargs) -> dict:
    """Generate the files unless ``root`` already holds this version, seed
    and family."""
    path = osp.join(root, 'summary.json')
    if osp.exists(path):
        with open(path) as f:
            summary = json.load(f)
        if (summary.get('version'), summary.get('seed'),
                summary.get('family', '3dhp')) == (VERSION, seed, family):
            return summary
    return generate(root, seed=seed, family=family, **kwargs)


if __name__ == '__main__':
    print(generate(sys.argv[1] if len(sys.argv) > 1 else
                   'data_cache/toy_lifting'))

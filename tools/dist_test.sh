#!/usr/bin/env bash
# Distributed testing with torchrun: tools/dist_test.sh CONFIG CHECKPOINT GPUS
# [ARGS]. GPUS is the number of processes per node (gloo on a CPU-only
# machine, see tools/test.py). Multi-node: set NNODES, NODE_RANK,
# MASTER_ADDR, PORT. PYTHON picks the interpreter (default: the project's
# .venv python when it exists, else python).

CONFIG=$1
CHECKPOINT=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

VENV_PYTHON="$(dirname "$0")/../.venv/bin/python"
[ -x "$VENV_PYTHON" ] && DEFAULT_PYTHON="$VENV_PYTHON" || DEFAULT_PYTHON=python
PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
${PYTHON:-$DEFAULT_PYTHON} -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    $(dirname "$0")/test.py \
    $CONFIG \
    $CHECKPOINT \
    --launcher pytorch \
    ${@:4}

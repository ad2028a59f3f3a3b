#!/usr/bin/python3
"""Writes the safetensors fixtures that SafeTensorsInteropTest reads, with numpy, struct and json only.

Run from this folder: /usr/bin/python3 make_fixture.py
The layout follows the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
header padded with spaces to a multiple of 8, then the raw little-endian tensor data.
"""
import json
import struct

import numpy as np


def write(path, tensors, metadata=None, header_order=None):
    """tensors: list of (name, array) in data order; header_order: key order of the JSON header."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    entries = {}
    for name, array in tensors:
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        dtype = {"float32": "F32", "float64": "F64", "int64": "I64"}[array.dtype.name]
        entries[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    for name in (header_order or [n for n, _ in tensors]):
        header[name] = entries[name]
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


weight = (np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(0.5) - np.float32(2.25))
bias = np.array([0.1, -0.2, 0.3, 1e-8], dtype=np.float32)
scalar = np.array(3.5, dtype=np.float32)
specials = np.array([[np.nan, np.inf, -np.inf, -0.0, np.finfo(np.float32).smallest_subnormal]], dtype=np.float32)

# The data is laid out in one order and the header lists the names in another (sorted), as files
# from other writers may: the reader must follow data_offsets, not the header order.
write("numpy_fixture.safetensors",
      [("layer0.weight", weight), ("layer0.bias", bias), ("scalar", scalar), ("specials", specials)],
      metadata={"format": "np", "producer": "make_fixture.py"},
      header_order=["layer0.bias", "layer0.weight", "scalar", "specials"])

write("f64_fixture.safetensors", [("weights", np.array([[1.0, 2.0]], dtype=np.float64))])

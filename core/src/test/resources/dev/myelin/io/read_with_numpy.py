#!/usr/bin/python3
"""Reads a safetensors file with numpy, struct and json only, and prints each tensor as JSON:
{"name": {"shape": [...], "bits": [uint32 bit patterns of the float32 values]}, "__metadata__": {...}}.
SafeTensorsInteropTest runs it on files Myelin wrote, to check numpy sees what Myelin meant.
"""
import json
import struct
import sys

import numpy as np

with open(sys.argv[1], "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n].decode("utf-8"))
data = raw[8 + n:]
out = {}
for name, entry in header.items():
    if name == "__metadata__":
        out[name] = entry
        continue
    assert entry["dtype"] == "F32", entry
    begin, end = entry["data_offsets"]
    values = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    out[name] = {"shape": list(values.shape), "bits": values.view("<u4").ravel().tolist()}
print(json.dumps(out))

"""The benchmark's floor: a bare read of a data folder's CSV files by polars' own multi-threaded
reader, every column's type inferred, nothing checked and nothing computed. No report can be
made without reading its files, so `bench/run` gives every step's time as a ratio to this one,
measured in the same run on the same files.

    python floor.py DATA_FOLDER
prints the seconds spent inside read_csv (the process's whole time, Python and polars' import
included, is what bench/run measures and compares against)."""

import pathlib
import sys
import time

import polars

folder = pathlib.Path(sys.argv[1])
start = time.perf_counter()
rows = 0
for path in sorted(folder.glob("*.csv")):
    rows += polars.read_csv(path, infer_schema_length=10_000).height
print(f"{time.perf_counter() - start:.3f} s inside read_csv, {rows} rows, {polars.thread_pool_size()} threads")

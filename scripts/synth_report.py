#!/usr/bin/env python3
"""Synthesis estimates with Yosys synth_xilinx for UltraScale+ (docs/synthesis.md).

Synthesises the VM-IP hash table (vm_ip_hash_table) at 4K, 16K and 64K entries and the whole NIC
(smartnic_top), one Yosys run at a time, and prints a table of LUTs, flip-flops, block RAMs,
DSPs, logic depth and Yosys run time; writes the same as JSON (--json).

Every run ends with scripts/synth_analysis.ys (cell counts, longest paths), the same script the
rtl_synth_xilinx test runs on the NIC. So instead of synthesising the NIC again (~5 min), the
report can read that test's folder: --nic-dir build/tests/rtl/synth_smartnic_top.

    scripts/synth_report.py                                   # everything, ~7 min on 2 cores
    scripts/synth_report.py --only table4k,table16k,table64k  # the table alone, ~2 min
    scripts/synth_report.py --nic-dir build/tests/rtl/synth_smartnic_top   # reuse the ctest run

Logic depth is a cell count along the longest combinational path (ltp), not a timing figure:
see docs/synthesis.md for what it does and does not say.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RTL = ROOT / "rtl"
ANALYSIS = ROOT / "scripts" / "synth_analysis.ys"

TABLE_SOURCES = ["vm_ip_hash_pkg.sv", "vm_ip_hash_index.sv", "vm_ip_hash_ram.sv", "vm_ip_hash_table.sv"]
# VM-IP table geometries: 4 ways x BUCKETS + an 8-entry stash (the NIC's table is the 64K one).
TABLE_WAYS, TABLE_SLOTS, TABLE_STASH = 4, 1, 8
TABLE_BUCKETS = {"table4k": 1024, "table16k": 4096, "table64k": 16384}
ALL_CONFIGS = ["table4k", "table16k", "table64k", "nic"]


def nic_sources() -> list[Path]:
    """The NIC's RTL files in the order of rtl/sources.cmake (the list CMake uses)."""
    text = (RTL / "sources.cmake").read_text()
    return [RTL / name for name in re.findall(r"\$\{SMARTNIC_RTL_DIR\}/(\S+\.sv)", text)]


def yosys_script(config: str) -> str:
    if config == "nic":
        files = " ".join(str(p) for p in nic_sources())
        # Not flattened, exactly as the rtl_synth_xilinx test (tests/rtl/run_synth.cmake). The
        # assertions are removed after elaboration: kept, their $assert cells would keep the
        # ghost logic that feeds them (fv_* registers, checks) in the netlist.
        return (f"read_verilog -sv {files}; hierarchy -top smartnic_top; chformal -remove; setattr -mod -unset keep; "
                f"synth_xilinx -family xcup -top smartnic_top; script {ANALYSIS}")
    files = " ".join(str(RTL / f) for f in TABLE_SOURCES)
    params = (f"-set WAYS {TABLE_WAYS} -set BUCKETS {TABLE_BUCKETS[config]} -set SLOTS {TABLE_SLOTS} "
              f"-set STASH {TABLE_STASH}")
    return (f"read_verilog -sv {files}; chparam {params} vm_ip_hash_table; "
            f"hierarchy -top vm_ip_hash_table; chformal -remove; setattr -mod -unset keep; synth_xilinx -family xcup -top vm_ip_hash_table -flatten; script {ANALYSIS}")


def run_yosys(yosys: str, config: str, folder: Path) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    script = yosys_script(config)
    (folder / "command.txt").write_text(f"cd {folder} && {yosys} -q -l yosys.log -p '{script}'\n")
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([yosys, "-q", "-l", "yosys.log", "-p", script], cwd=folder,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"yosys failed for {config} (exit {proc.returncode}); see {folder / 'yosys.log'}\n"
                 + proc.stdout[-2000:])
    # CPU of Yosys and of the ABC processes it starts (Yosys's own log counts only itself).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    (folder / "run_seconds.json").write_text(json.dumps({"wall": round(wall, 1), "cpu_all": round(cpu, 1)}) + "\n")
    return wall


# ---- parsing ----

def parse_stat(path: Path) -> dict[str, int]:
    """Cell counts of the whole design: the last cell list in `stat` (the hierarchy total for a
    hierarchical design, the only module otherwise)."""
    text = path.read_text()
    blocks = text.split("Number of cells:")
    if len(blocks) < 2:
        sys.exit(f"{path}: no cell counts")
    cells: dict[str, int] = {}
    for line in blocks[-1].splitlines()[1:]:
        m = re.match(r"^\s+(\S+)\s+(\d+)\s*$", line)
        if not m:
            if cells:
                break
            continue
        cells[m.group(1)] = int(m.group(2))
    return cells


def parse_stat_modules(path: Path) -> list[dict]:
    """LUTs and flip-flops of one instance of each module (a hierarchical `stat` has a section
    per module; modules with other parameters are separate entries)."""
    out = []
    for sec in re.split(r"\n=== ", path.read_text())[1:]:
        name = sec.split(" ===")[0]
        if name == "design hierarchy":
            continue
        cells = {m.group(1): int(m.group(2)) for m in re.finditer(r"\n\s+([A-Z]\w*)\s+(\d+)", sec)}
        out.append({"module": short_module(name),
                    "lut": sum(v for k, v in cells.items() if re.fullmatch(r"LUT[1-6]", k)),
                    "ff": sum(v for k, v in cells.items() if re.fullmatch(r"FD[A-Z]+", k)),
                    "carry": sum(v for k, v in cells.items() if k.startswith("CARRY"))})
    return sorted(out, key=lambda m: -m["lut"])


def short_module(name: str) -> str:
    """`$paramod$<hash>\\axil_regs` or `$paramod\\rx_dma\\NUM_VMS=...` -> the module's name."""
    name = name.lstrip("\\")
    if name.startswith("$paramod"):
        parts = name.split("\\")
        return parts[1] if len(parts) > 1 else name
    return name


def parse_ltp(path: Path) -> list[dict]:
    """Every `Longest topological path in M (length=N):` block: module, length, nodes
    (signal, via-cell) from start to end."""
    paths: list[dict] = []
    cur = None
    for line in path.read_text().splitlines():
        m = re.match(r"^Longest topological path in (\S+) \(length=(-?\d+)\):", line)
        if m:
            cur = {"module": short_module(m.group(1)), "length": int(m.group(2)), "nodes": []}
            paths.append(cur)
            continue
        m = re.match(r"^\s+\d+: (.*?)(?: \(via (\S+)\))?$", line)
        if m and cur is not None:
            cur["nodes"].append((m.group(1), m.group(2)))
    return paths


def read_names(path: Path) -> set[str]:
    names = set()
    if path.exists():
        for line in path.read_text().splitlines():
            line = line.strip()
            if "/" in line:
                names.add(line.split("/", 1)[1].lstrip("\\"))
    return names


def instance_path(cell: str) -> list[str]:
    """Hierarchical names in a flattened cell name: `$flatten\\u_verdict.u_hdr.$abc$1$x` ->
    ['u_verdict', 'u_hdr']; `\\u_rd_mux.last_q` -> ['u_rd_mux']; a top-level cell -> []."""
    name = cell.lstrip("\\")
    if name.startswith("$flatten\\"):
        name = name[len("$flatten\\"):]
    elif name.startswith("$"):
        return []
    parts = [p.lstrip("\\") for p in re.split(r"\.(?![^\[]*\])", name)]
    for i, part in enumerate(parts):
        if part.startswith("$"):
            return parts[:i]
    return parts[:-1]  # a named cell: the last part is its own name


def rtl_instances() -> dict[tuple[str, str], str]:
    """(parent module, instance name) -> child module, from the RTL text: enough to name the
    module a flattened cell came from."""
    texts = {p: p.read_text() for p in RTL.glob("*.sv")}
    modules = set()
    for t in texts.values():
        modules.update(re.findall(r"^\s*module\s+(\w+)", t, re.M))
    inst: dict[tuple[str, str], str] = {}
    for t in texts.values():
        for body in re.split(r"^\s*module\s+", t, flags=re.M)[1:]:
            parent = re.match(r"\w+", body).group(0)
            code = re.sub(r"//.*", "", body)
            for m in re.finditer(r"\b(\w+)\s*(?:#\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?\s*(\w+)\s*\(", code):
                if m.group(1) in modules and m.group(1) != parent:
                    inst[(parent, m.group(2))] = m.group(1)
    return inst


def module_of(top: str, names: list[str], inst_map: dict[tuple[str, str], str]) -> str:
    """The module an instance path ends in; names that are not instances (generate blocks such
    as g_way[0]) stay in the current module."""
    mod = top
    for name in names:
        base = re.sub(r"\[\d+\]$", "", name)
        mod = inst_map.get((mod, base), mod)
    return mod


def levels(kinds: dict[str, int]) -> int:
    """A rough logic-level count in the way Vivado reports it for UltraScale+: every LUT and MUXF
    is a level, a CARRY8 (8 bits) is one level where Yosys 0.23 maps carries to CARRY4 (4 bits),
    and inverters are absorbed into LUTs. An estimate from cell counts, not a timing figure."""
    return kinds["lut"] + kinds["muxf"] + kinds["lutram"] + (kinds["carry"] + 1) // 2


def analyse(folder: Path, config: str, top: str) -> dict:
    cells = parse_stat(folder / "stat.txt")
    lut = sum(v for k, v in cells.items() if re.fullmatch(r"LUT[1-6]", k))
    ff = sum(v for k, v in cells.items() if re.fullmatch(r"FD[A-Z]+", k))
    lutram = sum(v for k, v in cells.items() if k.startswith("RAM32M") or k.startswith("RAM64M"))
    dsp = sum(v for k, v in cells.items() if k.startswith("DSP"))
    result = {
        "config": config, "top": top,
        "lut": lut, "ff": ff,
        "ramb36e2": cells.get("RAMB36E2", 0), "ramb18e2": cells.get("RAMB18E2", 0),
        "dsp": dsp, "lutram": lutram,
        "muxf7": cells.get("MUXF7", 0), "muxf8": cells.get("MUXF8", 0), "muxf9": cells.get("MUXF9", 0),
        "carry": sum(v for k, v in cells.items() if k.startswith("CARRY")),
        "cells": cells,
    }
    if config == "nic":
        result["per_module"] = parse_stat_modules(folder / "stat.txt")
    else:
        result.update(ways=TABLE_WAYS, buckets=TABLE_BUCKETS[config], stash=TABLE_STASH,
                      entries=TABLE_WAYS * TABLE_BUCKETS[config] * TABLE_SLOTS + TABLE_STASH)

    # The longest path of the whole (flattened) design, and what it is made of.
    flat = parse_ltp(folder / "ltp.txt")
    if not flat or flat[0]["length"] < 0:
        sys.exit(f"{folder / 'ltp.txt'}: no longest path")
    path = flat[0]
    kinds = {k: read_names(folder / f"cells_{k}.txt") for k in ("lut", "muxf", "carry", "inv", "lutram")}
    count = {k: 0 for k in kinds}
    inst_map = rtl_instances()
    where: list[str] = []
    for _, via in path["nodes"]:
        if via is None:
            continue
        via = via.lstrip("\\")
        for k, names in kinds.items():
            if via in names:
                count[k] += 1
                break
        mod = module_of(top, instance_path(via), inst_map)
        if not where or where[-1] != mod:
            where.append(mod)
    result["depth"] = path["length"]
    result["depth_kinds"] = count
    result["levels_estimate"] = levels(count)
    result["path_start"] = path["nodes"][0][0] if path["nodes"] else ""
    result["path_end"] = path["nodes"][-1][0] if path["nodes"] else ""
    result["path_modules"] = where
    # Longest path inside each module (before flatten; module ports are start and end points).
    # Its cells carry the module's own names: the flattened names without the instance prefix.
    local_kind = {}
    for k, names in kinds.items():
        for n in names:
            i = n.find(".$")
            local_kind[n[i + 1:] if n.startswith("$flatten") and i >= 0 else n] = k
    per_module: dict[str, dict] = {}
    for p in parse_ltp(folder / "ltp_modules.txt"):
        if p["length"] <= per_module.get(p["module"], {}).get("depth", -1):
            continue
        c = {k: 0 for k in kinds}
        for _, via in p["nodes"]:
            if via is not None and via.lstrip("\\") in local_kind:
                c[local_kind[via.lstrip("\\")]] += 1
        per_module[p["module"]] = {"depth": p["length"], "kinds": c, "levels_estimate": levels(c),
                                   "start": p["nodes"][0][0] if p["nodes"] else "",
                                   "end": p["nodes"][-1][0] if p["nodes"] else ""}
    result["depth_per_module"] = dict(sorted(per_module.items(), key=lambda kv: -kv[1]["depth"]))

    # Run time. The log's CPU figure (Yosys alone, without its ABC subprocesses) is there also
    # for a run this script did not start (the ctest folder); wall clock and CPU including ABC
    # only for runs made here.
    log = (folder / "yosys.log").read_text(errors="replace")
    m = re.search(r"CPU: user ([\d.]+)s system ([\d.]+)s", log)
    result["cpu_seconds_yosys"] = round(float(m.group(1)) + float(m.group(2)), 1) if m else None
    run = folder / "run_seconds.json"
    times = json.loads(run.read_text()) if run.exists() else {}
    result["cpu_seconds_with_abc"] = times.get("cpu_all")
    result["wall_seconds"] = times.get("wall")
    return result


def table(results: list[dict]) -> str:
    head = ["config", "entries", "LUT", "FF", "RAMB36E2", "RAMB18E2", "DSP", "LUTRAM",
            "depth", "LUT+MUXF+CARRY4(+INV)", "~levels", "CPU s (Yosys)", "CPU s (+ABC)", "wall s"]
    rows = []
    for r in results:
        k = r["depth_kinds"]
        rows.append([r["config"], str(r.get("entries", "-")), str(r["lut"]), str(r["ff"]),
                     str(r["ramb36e2"]), str(r["ramb18e2"]), str(r["dsp"]), str(r["lutram"]),
                     str(r["depth"]), f"{k['lut']}+{k['muxf']}+{k['carry']}(+{k['inv']})",
                     str(r["levels_estimate"]),
                     f"{r['cpu_seconds_yosys']}",
                     "-" if r["cpu_seconds_with_abc"] is None else f"{r['cpu_seconds_with_abc']:.0f}",
                     "-" if r["wall_seconds"] is None else f"{r['wall_seconds']:.0f}"])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    for r in results:
        lines.append(f"{r['config']}: longest path {r['path_start']} -> {r['path_end']} "
                     f"through {' > '.join(r['path_modules'])}; deepest modules (cells = LUT+MUXF+CARRY4(+INV)):")
        if r.get("per_module"):
            lines.append(f"{r['config']}: most LUTs (one instance): " + ", ".join(
                f"{m['module']} {m['lut']}" for m in r["per_module"][:8]))
        for m, d in list(r["depth_per_module"].items())[:8]:
            k = d["kinds"]
            lines.append(f"{r['config']}:   {m}: {d['depth']} = {k['lut']}+{k['muxf']}+{k['carry']}(+{k['inv']}) "
                         f"~{d['levels_estimate']} levels, "
                         f"{d['start']} -> {d['end']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=",".join(ALL_CONFIGS),
                    help="comma-separated subset of " + ",".join(ALL_CONFIGS))
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "synth-report",
                    help="folder for the Yosys runs (one sub-folder per configuration)")
    ap.add_argument("--nic-dir", type=Path,
                    help="read the NIC's result from this folder (the rtl_synth_xilinx test's "
                         "build/tests/rtl/synth_smartnic_top) instead of synthesising it again")
    ap.add_argument("--reuse", action="store_true",
                    help="do not run Yosys where OUT/<config> already holds a result")
    ap.add_argument("--json", type=Path, help="write the results here (default OUT/synth_report.json)")
    ap.add_argument("--yosys", default=os.environ.get("YOSYS", "yosys"))
    args = ap.parse_args()

    configs = [c for c in args.only.split(",") if c]
    for c in configs:
        if c not in ALL_CONFIGS:
            ap.error(f"unknown configuration {c!r}; choose from {', '.join(ALL_CONFIGS)}")
    results = []
    for c in configs:  # one at a time: each Yosys run is single-threaded but memory-hungry
        folder = args.out / c
        if c == "nic" and args.nic_dir:
            folder = args.nic_dir
            if not (folder / "ltp.txt").exists():
                sys.exit(f"{folder}: no ltp.txt; run `ctest -R rtl_synth_xilinx` first")
        elif not (args.reuse and (folder / "ltp.txt").exists()):
            print(f"synthesising {c} ...", file=sys.stderr, flush=True)
            run_yosys(args.yosys, c, folder)
        results.append(analyse(folder, c, "smartnic_top" if c == "nic" else "vm_ip_hash_table"))
    print(table(results))
    out = args.json or args.out / "synth_report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"yosys": subprocess.run([args.yosys, "-V"], stdout=subprocess.PIPE,
                                                       text=True).stdout.strip(),
                               "results": results}, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

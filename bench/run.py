"""Measure orgroles against the speed targets of docs/performance.md, side by side.

    python bench/run.py                 # all targets, up to 100,000 posts (about 5 minutes)
    python bench/run.py --quick         # fewer repetitions
    python bench/run.py --million       # also 1,000,000 posts (about 20 minutes more)
    python bench/run.py --ten-million   # also 10,000,000 posts (about 2 hours more; not in CI)
    python bench/run.py --store-only --sizes 10000000 --no-exports   # one size, no exports

Every ratio compares two commands measured in this same run: medians of repeated runs of
real subprocesses of the installed ``orgroles`` (the one beside this Python), with peak memory
read from the kernel (``wait4``). Cold runs get a fresh, empty cache folder each time. Exits
with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_org import make_org  # noqa: E402

PY = sys.executable
ORGROLES = str(Path(PY).parent / "orgroles")


class Result:
    """Median seconds and peak memory (KiB) of repeated runs of one command."""

    def __init__(self, seconds: list[float], peak_kib: int) -> None:
        self.seconds = statistics.median(seconds)
        self.peak_kib = peak_kib


def run_once(
    argv: Sequence[str], env: dict[str, str], stdin: bytes | None = None
) -> tuple[float, int]:
    """Run a command; return its wall time and peak resident memory (KiB). ``can`` may answer
    no (1) or not stated (3)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ((0, 1, 3) if "can" in argv else (0,)):
        assert proc.stderr is not None
        raise SystemExit(
            f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stderr.read().decode()}"
        )
    return elapsed, usage.ru_maxrss


def measure(
    argv: Sequence[str],
    repeat: int,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    fresh_cache: bool = False,
) -> Result:
    """Run a command ``repeat`` times (after one warm-up unless ``fresh_cache``)."""
    base = dict(env or os.environ)
    # Measure what an installed orgroles does: Python writes and reuses .pyc files (this
    # machine sets PYTHONDONTWRITEBYTECODE, which would recompile orgroles on every run).
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    times, peak = [], 0
    if not fresh_cache:
        run_once(argv, base, stdin)  # warm-up: file-system cache, .pyc files, orgroles cache
    for _ in range(repeat):
        run_env = base
        if fresh_cache:
            run_env = {**base, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="orgroles-bench-")}
        seconds, kib = run_once(argv, run_env, stdin)
        times.append(seconds)
        peak = max(peak, kib)
        if fresh_cache:
            stop_store_writers(Path(run_env["XDG_CACHE_HOME"]) / "orgroles")
            shutil.rmtree(run_env["XDG_CACHE_HOME"], ignore_errors=True)
    return Result(times, peak)


def stop_store_writers(folder: Path) -> None:
    """Stop the child that writes the store of a cache folder about to be removed (it would
    go on writing, competing with the next measurement for the cores and the memory)."""
    import signal

    for marker in folder.glob("*.building"):
        try:
            pid = int(marker.read_text(encoding="ascii"))
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            continue
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                break
            time.sleep(0.05)


class Rows(list[tuple[str, str, str, str, str, str]]):
    """The table's rows, each also printed as it is measured (a long run shows progress)."""

    def append(self, row: tuple[str, str, str, str, str, str]) -> None:
        print("  " + " | ".join(c for c in row if c), flush=True)
        super().append(row)


def measure_pair(
    argv: Sequence[str], base: Sequence[str], repeat: int, env: dict[str, str]
) -> tuple[Result, Result]:
    """Run two commands alternately, ``repeat`` times each after a warm-up of each, so both
    see the same machine (a shared machine's load moves within a run)."""
    run_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run_once(argv, run_env)
    run_once(base, run_env)
    times: tuple[list[float], list[float]] = ([], [])
    peaks = [0, 0]
    for _ in range(repeat):
        for i, command in enumerate((argv, base)):
            seconds, kib = run_once(command, run_env)
            times[i].append(seconds)
            peaks[i] = max(peaks[i], kib)
    return Result(times[0], peaks[0]), Result(times[1], peaks[1])


class Table:
    """Rows of (target, measured, baseline, ratio, limit) and whether each is met."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = Rows()
        self.missed: list[str] = []

    def ratio(
        self,
        name: str,
        value: Result,
        base: Result,
        base_name: str,
        limit: float | None,
        lower_is_better: bool = True,
    ) -> float:
        ratio = value.seconds / base.seconds
        ok = limit is None or (ratio <= limit if lower_is_better else ratio >= limit)
        if not ok:
            self.missed.append(name)
        self.rows.append(
            (
                name,
                f"{value.seconds * 1000:,.0f} ms",
                f"{base_name} {base.seconds * 1000:,.0f} ms",
                f"{ratio:.2f}×",
                "" if limit is None else f"≤ {limit}×" if lower_is_better else f"≥ {limit}×",
                "" if limit is None else "ok" if ok else "MISSED",
            )
        )
        return ratio

    def memory(self, name: str, value: Result, base: Result, base_name: str) -> None:
        ok = value.peak_kib <= base.peak_kib
        if not ok:
            self.missed.append(name)
        self.rows.append(
            (
                name,
                f"{value.peak_kib / 1024:,.0f} MiB",
                f"{base_name} {base.peak_kib / 1024:,.0f} MiB",
                f"{value.peak_kib / base.peak_kib:.2f}×",
                "≤ 1.0×",
                "ok" if ok else "MISSED",
            )
        )

    def seconds(self, name: str, value: Result, limit: float | None) -> None:
        """A time against a limit in seconds."""
        ok = limit is None or value.seconds <= limit
        if not ok:
            self.missed.append(name)
        self.rows.append(
            (
                name,
                f"{value.seconds:,.2f} s",
                "",
                "",
                "" if limit is None else f"≤ {limit:g} s",
                "" if limit is None else "ok" if ok else "MISSED",
            )
        )

    def note(self, name: str, text: str) -> None:
        self.rows.append((name, text, "", "", "", ""))

    def print(self) -> None:
        print()
        header = ("target", "measured", "baseline", "ratio", "limit", "")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(6)]
        for row in [header, *self.rows]:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def small_targets(table: Table, repeat: int, data: Path) -> None:
    """Targets 1 to 3: start-up, one question, many questions, on the bundled data."""
    bare = measure([PY, "-c", "pass"], repeat)
    libs = measure([PY, "-c", "import typer, yaml, networkx"], repeat)
    for args in (["--help"], ["--version"]):
        table.ratio(
            f"1. orgroles {' '.join(args)}",
            measure([ORGROLES, *args], repeat),
            bare,
            "python -c pass",
            6.0,
        )
    completion_env = {
        **os.environ,
        "_ORGROLES_COMPLETE": "complete_bash",
        "COMP_WORDS": "orgroles show kommunalsjef_",
        "COMP_CWORD": "2",
    }
    table.ratio(
        "1. shell completion (bash)",
        measure([ORGROLES], repeat, env=completion_env),
        bare,
        "python -c pass",
        6.0,
    )
    one = None
    for args in (["who-reports-to", "kommunalsjef", "--json"], ["tree"], ["show", "kommunalsjef"]):
        result = measure([ORGROLES, *args], repeat)
        table.ratio(f"2. {' '.join(args)}", result, libs, "import typer+yaml+nx", 1.15)
        table.ratio("   (same, to python -c pass)", result, bare, "python -c pass", None)
        one = one or result
    assert one is not None
    names = ("\n".join(["kommunalsjef", "radmann", "direktor_hr", "tjenesteleder"] * 250)).encode()
    many = measure([ORGROLES, "who-reports-to", "-", "--json"], repeat, stdin=names)
    table.ratio("3. 1,000 questions in one call", many, one, "one question", 2.0)
    if shutil.which("yq"):
        yq = measure(
            ["yq", "-r", '.posts[] | select(.reports_to.id == "radmann") | .id', str(data)],
            max(3, repeat // 2),
        )
        thousand_yq = Result([yq.seconds * 1000], yq.peak_kib)
        table.ratio(
            "3. (vs 1,000 calls of yq, extrapolated)", many, thousand_yq, "1,000 × yq", 0.01
        )
    else:
        table.note("3. (vs yq)", "yq not installed: skipped")


def large_targets(table: Table, posts: int, repeat: int, workdir: Path, full: bool) -> None:
    """Targets 4 and 5 on a synthetic organisation of ``posts`` posts."""
    path = workdir / f"org-{posts}.yaml"
    if not path.exists():
        path.write_text(make_org(posts, seed=1), encoding="utf-8")
    size = path.stat().st_size / 2**20
    label = f"{posts:,} posts ({size:.1f} MiB)"
    table.note(f"-- {label}", "")
    question = [ORGROLES, "--data", str(path), "who-reports-to", "p0000001", "--json"]
    cold = measure(question, repeat, fresh_cache=True)
    cache_home = tempfile.mkdtemp(prefix="orgroles-bench-warm-")
    env = {**os.environ, "XDG_CACHE_HOME": cache_home}
    try:
        if full:
            bare = measure(
                [
                    PY,
                    "-c",
                    "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
                    str(path),
                ],
                repeat,
                fresh_cache=True,
            )
            table.ratio("4. cold who-reports-to vs bare parse", cold, bare, "libyaml parse", 1.0)
            if shutil.which("yq"):
                yq = measure(
                    ["yq", "-r", '.posts[] | select(.reports_to == "p0000001") | .id', str(path)],
                    repeat,
                    fresh_cache=True,
                )
                table.ratio("4. cold who-reports-to vs yq", cold, yq, "yq", 0.5)
            validate = measure(
                [ORGROLES, "--data", str(path), "validate"], repeat, fresh_cache=True
            )
            table.ratio("4. cold validate vs bare parse", validate, bare, "libyaml parse", 1.0)
            table.memory("4. validate peak memory", validate, bare, "libyaml parse")
        else:
            table.note("4. (bare parse, yq)", "skipped at this size")
        for args in (
            ["who-reports-to", "p0000001", "--json"],
            ["reports-to", f"p{posts - 1:07d}", "--json"],
            ["show", "p0000005", "--json"],
        ):
            warm = measure([ORGROLES, "--data", str(path), *args], repeat, env=env)
            table.ratio(f"{'4' if full else '5'}. warm {args[0]}", warm, cold, "cold run", 0.25)
        if not full:
            everything = [
                ["validate"],
                ["tree"],
                ["roles"],
                ["areas"],
                ["units"],
                ["authority"],
                ["authority", "budsjettansvar"],
                ["forums"],
                ["principles"],
                ["search", "Leder 99999"],
                ["common", "p0000100", f"p{posts - 1:07d}"],
                ["who-reports-to", "p0000000", "--all", "--json"],
            ]
            for args in everything:
                result = measure([ORGROLES, "--data", str(path), *args], 1, env=env)
                table.note(
                    f"5. {' '.join(args)}",
                    f"completes in {result.seconds:,.1f} s, {result.peak_kib / 1024:,.0f} MiB",
                )
    finally:
        shutil.rmtree(cache_home, ignore_errors=True)


ONE_LINE = (  # (name, arguments with {last}, {mid} for the last and a middle post)
    ("who-reports-to", ["who-reports-to", "{mid}", "--json"]),
    ("reports-to", ["reports-to", "{last}", "--json"]),
    ("show", ["show", "{mid}", "--json"]),
    ("common", ["common", "{mid}", "{last}", "--json"]),
    ("can", ["can", "{last}", "budsjettansvar", "--json"]),
    ("a name, by its title", ["reports-to", "Leder {last_number}", "--json"]),
)
BUNDLED_ONE_LINE = {  # the same questions on the bundled data
    "who-reports-to": ["who-reports-to", "kommunalsjef", "--json"],
    "reports-to": ["reports-to", "tjenesteleder", "--json"],
    "show": ["show", "kommunalsjef", "--json"],
    "common": ["common", "kommunalsjef", "tjenesteleder", "--json"],
    "can": ["can", "tjenesteleder", "budsjettansvar", "--json"],
    "a name, by its title": ["reports-to", "Rådmannen", "--json"],
}


def store_targets(
    table: Table, sizes: list[int], repeat: int, workdir: Path, exports: set[int]
) -> None:
    """Issue 18: the cost of a question follows the size of its answer, at every size."""
    for posts in sizes:
        runs = repeat if posts <= 100_000 else 3 if posts <= 1_000_000 else 1
        path = workdir / f"org-{posts}.yaml"
        if not path.exists():
            path.write_text(make_org(posts, seed=1), encoding="utf-8")
        size = path.stat().st_size / 2**20
        table.note(f"-- 6. {posts:,} posts ({size:,.1f} MiB)", "")
        data = [ORGROLES, "--data", str(path)]
        mid, last = f"p{posts // 2:07d}", f"p{posts - 1:07d}"
        cold_runs = 1 if posts > 100_000 else max(2, runs // 3)
        events = measure(
            [
                PY,
                "-c",
                "import sys, yaml\n"
                "for _ in yaml.parse(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader): pass",
                str(path),
            ],
            cold_runs,
            fresh_cache=True,
        )
        question = [*data, "who-reports-to", mid, "--json"]
        # Beyond a million posts the cold run below (the one that writes the store) is the
        # only one: a cold run takes most of half an hour there.
        cold = measure(question, cold_runs, fresh_cache=True) if posts <= 1_000_000 else None
        cache_home = tempfile.mkdtemp(prefix="orgroles-bench-store-")
        env = {**os.environ, "XDG_CACHE_HOME": cache_home}
        try:
            run_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
            seconds, kib = run_once(question, run_env)  # cold: a child then writes the store
            cold = cold or Result([seconds], kib)
            limit = 2.0 if posts >= 100_000 else None
            table.ratio("6. cold question", cold, events, "libyaml event stream", limit)
            table.note("   cold peak memory", f"{cold.peak_kib / 1024:,.0f} MiB")
            answered = time.perf_counter()
            first = None
            if posts <= 1_000_000:  # beyond: a whole load beside the writer outgrows the RAM
                seconds, kib = run_once(question, run_env)  # the next run, at once
                first = Result([seconds], kib)
            folder = Path(cache_home) / "orgroles"
            while list(folder.glob("*.building")):
                time.sleep(0.2)
            if not list(folder.glob("*.db")):
                table.missed.append(f"{posts:,}: the store was not written")
                table.note("   the store is written (in the background)", "FAILED")
                continue
            table.note(
                "   the store is written (in the background)",
                f"{time.perf_counter() - answered:,.1f} s after the cold answer",
            )
            warm_peak = 0
            for name, args in ONE_LINE:
                filled = [a.format(mid=mid, last=last, last_number=posts - 1) for a in args]
                warm, bundled = measure_pair(
                    [*data, *filled], [ORGROLES, *BUNDLED_ONE_LINE[name]], runs, env
                )
                warm_peak = max(warm_peak, warm.peak_kib)
                table.ratio(f"6. warm {name}", warm, bundled, "bundled data", 2.0)
                if name == "who-reports-to" and first is not None:
                    table.ratio("   the run right after the cold one", first, warm, "warm", 1.5)
                elif name == "who-reports-to":
                    table.note("   the run right after the cold one", "not run at this size")
            ok = warm_peak <= 100 * 1024
            if not ok:
                table.missed.append(f"{posts:,}: warm memory")
            table.note(
                "6. warm one-line peak memory",
                f"{warm_peak / 1024:,.0f} MiB (≤ 100 MiB: {'ok' if ok else 'MISSED'})",
            )
            if posts <= 1_000_000:  # beyond, a quarter of an hour of rows
                every = [*data, "who-reports-to", "p0000000", "--all", "--json"]
                everyone = measure(every, 1, env=env)
                table.note(
                    "6. who-reports-to --all (every post)",
                    f"{everyone.seconds:,.2f} s, {everyone.seconds / posts * 1e6:,.1f} µs a row",
                )
            whole = (("validate", 3.0), ("stats", 5.0))
            for command, seconds in whole:
                result = measure([*data, command], runs, env=env)
                table.seconds(f"6. warm {command}", result, seconds if posts >= 1_000_000 else None)
            tree, one = measure_pair(
                [*data, "tree"], [*data, "who-reports-to", mid, "--json"], runs, env
            )
            table.ratio("6. warm tree (default depth)", tree, one, "one question", 2.0)
            if posts in exports:
                export_targets(table, data, env)
        finally:
            shutil.rmtree(cache_home, ignore_errors=True)


def export_targets(table: Table, data: list[str], env: dict[str, str]) -> None:
    """Every export format of a large organisation: ≤ 30 s and ≤ 2 GiB each."""
    listing = subprocess.run(
        [PY, "-c", "from orgroles.exports import EXPORTERS; print(*EXPORTERS)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    out = tempfile.mkdtemp(prefix="orgroles-bench-export-")
    try:
        for name in listing:
            target = str(Path(out) / f"export.{name}")
            result = measure(
                [*data, "export", "--format", name, "-o", target, "--force"], 1, env=env
            )
            ok = result.seconds <= 30 and result.peak_kib <= 2 * 1024**2
            if not ok:
                table.missed.append(f"export {name}")
            table.note(
                f"6. export --format {name}",
                f"{result.seconds:,.1f} s, {result.peak_kib / 1024:,.0f} MiB "
                f"(≤ 30 s, ≤ 2 GiB: {'ok' if ok else 'MISSED'})",
            )
            Path(target).unlink(missing_ok=True)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description="Measure orgroles against its speed targets.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--posts", type=int, default=100_000, help="size of the large organisation")
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 posts")
    parser.add_argument(
        "--ten-million", action="store_true", help="also run 10,000,000 posts (hours; not in CI)"
    )
    parser.add_argument(
        "--store-only", action="store_true", help="only the indexed store's targets (6)"
    )
    parser.add_argument(
        "--sizes",
        help="only these sizes for the store's targets, comma-separated (e.g. 10000000)",
    )
    parser.add_argument(
        "--no-exports", action="store_true", help="leave out the exports of the largest sizes"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "orgroles-bench",
        help="where generated organisations are kept between runs",
    )
    args = parser.parse_args(argv)
    if not Path(ORGROLES).exists():
        raise SystemExit(f"no orgroles beside {PY}: install the package into this environment")
    args.workdir.mkdir(parents=True, exist_ok=True)
    repeat = 5 if args.quick else 11
    table = Table()
    print(f"orgroles benchmark: {PY} ({sys.version.split()[0]}), {os.cpu_count()} CPUs", flush=True)
    bundled = subprocess.run(
        [PY, "-c", "from orgroles.bundled import bundled_data_path as p; print(p())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not args.store_only:
        small_targets(table, repeat, Path(bundled))
        large_targets(table, args.posts, 3 if not args.quick else 2, args.workdir, full=True)
    sizes = [1_000, 10_000, 100_000]
    sizes += [1_000_000] if args.million or args.ten_million else []
    sizes += [10_000_000] if args.ten_million else []
    if args.sizes:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    exports = set() if args.no_exports else {1_000_000, 10_000_000}
    store_targets(table, sizes, repeat, args.workdir, exports=exports)
    table.print()
    if table.missed:
        print(f"\nMISSED {len(table.missed)} target(s): " + "; ".join(table.missed))
        return 1
    print("\nevery target met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""@file compare_fts5.py
@brief Morgue against SQLite FTS5 on the same articles and the same queries, in one run, one table.

What it does, every time, from scratch (no figure is copied from anywhere):
  1. Morgue: `morgue-bench index` builds a fresh archive from INPUT... (morgue-index add as a child
     process, so its time and peak memory are measured by wait4), then compacts it if morgue-index can.
  2. `morgue-bench export` writes the stored articles back out as JSON Lines, so that FTS5 indexes exactly
     the title and body text Morgue indexed (whatever the input format was).
  3. FTS5: a child process of this script loads that JSON Lines file into a contentful FTS5 table
     (`tokenize='porter unicode61'`, columns id UNINDEXED, title, body) in one transaction, then runs
     FTS5's 'optimize' (its compaction). Time and peak memory measured the same way as Morgue's.
  4. Queries, each file in turn, one thread, top 10 with snippets: `morgue-bench query --snippets` and an
     FTS5 child (`ORDER BY rank` = BM25, `snippet()` on the body and `highlight()` on the title of the
     10 results), each a fresh process that makes one warm-up pass then one timed pass; PASSES times,
     alternating between the engines. FTS5's default semantics is
     all words: every whitespace-separated word of a query is quoted, so FTS5's query syntax (AND, OR,
     NOT, NEAR, *, ^, :, parentheses) in a query is taken as plain text; a "phrase in double quotes" stays
     one quoted string, an FTS5 phrase.
     Morgue's default is all words too, falling back to the best partial matches when no article has them all.
  5. Prints one table: Morgue, FTS5, and how many times better Morgue is (>1: Morgue is faster or
     smaller). Latencies are the median over PASSES of each pass's percentile.

Usage:
  compare_fts5.py --bin BUILD_DIR --work DIR [--queries FILE]... [--passes 3] [--json OUT] [--markdown OUT]
                  [--label NAME] [--add-options 'OPTIONS'] [--plain-xapian N] [--keep] [--reuse PREVIOUS_JSON] INPUT...
--plain-xapian N also times the benchmarks issue's plain Xapian writer (one thread, TermGenerator, a commit
every 10,000) on the first N exported articles, so that Morgue's indexing speed is read against it on the
same machine in the same run.
WORK must not exist or be empty: it receives the archive, the export and the SQLite database. With --reuse,
WORK is a directory a --keep run left: only the queries run again, on its archive and SQLite file (after a
change to the searcher), and the indexing rows are copied from that run's --json.
Exit status: 0 ok, 1 failure, 2 usage error.
"""
import argparse
import json
import os
import re
import resource
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

SNIPPET_TOKENS = 32  # FTS5 snippet() length in tokens: about two sentences, like Morgue's 320 characters


def fail(message, status=1):
    print("compare_fts5: " + message, file=sys.stderr)
    sys.exit(status)


# ---------------------------------------------------------------- children (measured by wait4)

def run_measured(argv, capture=True):
    """Runs argv, returns (stdout text, wall seconds, cpu seconds, peak RSS MB). Fails on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE if capture else None)
    out = proc.stdout.read().decode("utf-8", "replace") if capture else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        fail("%s exited with status %d" % (" ".join(argv[:3]), proc.returncode))
    return out, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def last_json(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    fail("no JSON in child output: " + text[-300:])


# ---------------------------------------------------------------- FTS5 side (run in a child process)

def fts5_load(db_path, jsonl_path):
    """Loads title and body of every article; prints timings as JSON."""
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=OFF")    # a bulk load into a new file: no rollback journal needed
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
    start = time.perf_counter()
    articles = raw = 0

    def rows():
        nonlocal articles, raw
        with open(jsonl_path, encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                title, body = a.get("title", ""), a.get("body", "")
                articles += 1
                raw += len(title.encode("utf-8")) + len(body.encode("utf-8"))
                yield a.get("id", ""), title, body

    with con:
        con.executemany("INSERT INTO docs(id, title, body) VALUES (?, ?, ?)", rows())
    load_s = time.perf_counter() - start
    size_loaded = os.path.getsize(db_path)
    start = time.perf_counter()
    with con:
        con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    optimize_s = time.perf_counter() - start
    con.execute("VACUUM")
    con.close()
    print(json.dumps({"articles": articles, "raw_text_bytes": raw, "seconds": load_s,
                      "bytes": size_loaded, "optimize_seconds": optimize_s,
                      "optimized_bytes": os.path.getsize(db_path), "sqlite_version": sqlite3.sqlite_version}))


def fts5_match(query):
    """FTS5 query text: all words, each a quoted string, so no word is read as FTS5 syntax; a phrase in
    double quotes stays one quoted string, which FTS5 reads as a phrase (as Morgue does)."""
    parts = []
    for i, piece in enumerate(query.split('"')):
        if i % 2 == 1:  # inside a pair of quotes
            if re.search(r"\w", piece):
                parts.append('"%s"' % piece.strip())
        else:
            parts.extend('"%s"' % w for w in piece.split() if re.search(r"\w", w))
    return " ".join(parts)


def percentile(sorted_ms, p):
    """Linear interpolation between ranks: the same rule as morgue-bench (benchmarks/latency.cpp)."""
    if not sorted_ms:
        return 0.0
    idx = p / 100.0 * (len(sorted_ms) - 1)
    lo = int(idx)
    hi = min(lo + 1, len(sorted_ms) - 1)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (idx - lo)


def pass_figures(ms):
    ms = sorted(ms)
    return {"p50_ms": percentile(ms, 50), "p90_ms": percentile(ms, 90), "p99_ms": percentile(ms, 99),
            "max_ms": ms[-1], "mean_ms": sum(ms) / len(ms)}


def fts5_query(db_path, query_file, passes, limit, mmap_bytes=0):
    """Runs every query (one warm-up pass, then the timed passes); prints per-pass figures as JSON.
    mmap_bytes > 0: SQLite reads the file through a memory map of up to that size (PRAGMA mmap_size),
    as Morgue's benchmark reads Xapian's tables; 0: SQLite's default (read calls and its page cache)."""
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    if mmap_bytes > 0:
        con.execute("PRAGMA mmap_size=%d" % mmap_bytes)
    sql = ("SELECT id, highlight(docs, 1, '<b>', '</b>'), snippet(docs, 2, '<b>', '</b>', '…', %d) "
           "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT %d" % (SNIPPET_TOKENS, limit))
    with open(query_file, encoding="utf-8") as f:
        queries = [q.strip() for q in f if q.strip()]
    matches = [fts5_match(q) for q in queries]
    answered = [0] * len(queries)

    def one_pass(record):
        ms = []
        for i, m in enumerate(matches):
            start = time.perf_counter()
            rows = con.execute(sql, (m,)).fetchall() if m else []
            ms.append((time.perf_counter() - start) * 1000.0)
            if record:
                answered[i] = len(rows)
        return ms

    one_pass(True)  # warm-up, as morgue-bench's default --warmup 1
    timed = [one_pass(False) for _ in range(passes)]
    print(json.dumps({"queries": len(queries), "passes": [pass_figures(ms) for ms in timed],
                      "per_query_ms": [statistics.median(t) for t in zip(*timed)],
                      "answered": sum(1 for n in answered if n > 0),
                      "answered_flags": [n > 0 for n in answered]}))


# ---------------------------------------------------------------- the comparison

def median_of(passes, key):
    return statistics.median(p[key] for p in passes)


def machine():
    info = {"nproc": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
        with open("/proc/meminfo") as f:
            info["mem_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["load"] = " ".join("%.2f" % x for x in os.getloadavg())
    return info


def mb(n):
    return n / 1e6


def build_rows(m_index, f_index, query_sets):
    raw = m_index["raw_text_bytes"]
    m_size = m_index.get("compacted_bytes", m_index["archive_bytes"])
    rows = [
        ("articles indexed", m_index["read"], f_index["articles"], None, "%d"),
        ("indexing time (s)", m_index["seconds"], f_index["seconds"], "lower", "%.1f"),
        ("indexing CPU time (s)", m_index["cpu_seconds"], f_index["cpu_seconds"], "lower", "%.1f"),
        ("articles/s", m_index["articles_per_s"], f_index["articles"] / f_index["seconds"], "higher", "%.0f"),
        ("MB/s of title+body", m_index["mb_per_s"], mb(f_index["raw_text_bytes"]) / f_index["seconds"], "higher", "%.2f"),
        ("peak memory (MB)", m_index["peak_rss_mb"], f_index["peak_rss_mb"], "lower", "%.0f"),
        ("compaction / optimize (s)", m_index.get("compact_seconds", 0.0), f_index["optimize_seconds"], "lower", "%.1f"),
        ("size on disk (MB)", mb(m_size), mb(f_index["optimized_bytes"]), "lower", "%.1f"),
        ("size / raw text", m_size / raw, f_index["optimized_bytes"] / f_index["raw_text_bytes"], "lower", "%.2f"),
        ("zstd store / raw text (nightly)", m_index["store_ratio"], None, None, "%.3f"),
    ]
    if "plain_xapian" in m_index:
        px = m_index["plain_xapian"]
        rows.append(("articles/s against a plain Xapian writer (2nd column: its %d articles, one thread)" % px["articles"],
                     m_index["articles_per_s"], px["articles_per_s"], "higher", "%.0f"))
    if "sketch_ratio" in m_index:
        rows.append(("word sketches / raw text", m_index["sketch_ratio"], None, None, "%.3f"))
    if "compacted_store_ratio" in m_index:
        rows.append(("zstd store / raw text (compacted)", m_index["compacted_store_ratio"], None, None, "%.3f"))
    for name, (m_q, f_q) in query_sets.items():
        for key in ("p50_ms", "p90_ms", "p99_ms"):
            rows.append(("%s %s" % (name, key.replace("_ms", " (ms)")), median_of(m_q["passes"], key),
                         median_of(f_q["passes"], key), "lower", "%.2f"))
        rows.append(("%s queries with results" % name, m_q["answered"], f_q["answered"], None, "%d"))
        # Where every word matches somewhere, both engines do the same job (no partial-match fallback).
        both = [i for i, ok in enumerate(f_q["answered_flags"]) if ok and m_q["per_query_ms"][i] is not None]
        if both:
            m_sub = sorted(m_q["per_query_ms"][i] for i in both)
            f_sub = sorted(f_q["per_query_ms"][i] for i in both)
            for p in (50, 90):
                rows.append(("%s p%d (ms), the %d all-words queries" % (name, p, len(both)),
                             percentile(m_sub, p), percentile(f_sub, p), "lower", "%.2f"))
    return rows


def better(row):
    _, m, f, sense, _ = row
    if sense is None or m in (None, 0) or f in (None, 0):
        return ""
    return "%.2fx" % (f / m if sense == "lower" else m / f)


def render_table(rows, markdown):
    cells = [("", "Morgue", "FTS5", "Morgue ahead by")]
    for row in rows:
        label, m, f, _, fmt = row
        cells.append((label, fmt % m if m is not None else "-", fmt % f if f is not None else "-", better(row)))
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(c) + " |" for c in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    return "\n".join("  ".join(c[i].ljust(widths[i]) if i == 0 else c[i].rjust(widths[i]) for i in range(4))
                     for c in cells)


def compare(args, add_args, inputs):
    exe = lambda name: os.path.join(args.bin, name)
    for name in ("morgue-bench", "morgue-index"):
        if not os.access(exe(name), os.X_OK):
            fail("%s: not found (give --bin BUILD_DIR)" % exe(name), 2)
    archive = os.path.join(args.work, "morgue")
    export = os.path.join(args.work, "articles.jsonl")
    sqlite_db = os.path.join(args.work, "fts5.sqlite")
    me = os.path.abspath(__file__)
    if args.reuse:
        # Queries only, on the archive and SQLite file a --keep run left in --work; the indexing
        # figures are that run's, from its --json.
        if not (os.path.isdir(archive) and os.path.isfile(sqlite_db)):
            fail("%s: no morgue/ and fts5.sqlite from a --keep run to reuse" % args.work, 2)
        try:
            with open(args.reuse) as f:
                previous = json.load(f)
            m_index, f_index = previous["morgue_index"], previous["fts5_index"]
        except (OSError, ValueError, KeyError) as e:
            fail("%s: not the --json of a previous run (%s)" % (args.reuse, e), 2)
        started = machine()
        t0 = time.time()
        return run_queries(args, exe, archive, sqlite_db, me, m_index, f_index, started, t0, inputs, add_args)
    if os.path.exists(args.work) and os.listdir(args.work):
        fail("%s: not empty; give a new --work directory" % args.work, 2)
    os.makedirs(args.work, exist_ok=True)
    started = machine()
    t0 = time.time()

    print("[1/4] Morgue: indexing %s" % " ".join(inputs), file=sys.stderr)
    out, _, _, _ = run_measured([exe("morgue-bench"), "index", "--json", "--archive", archive] + add_args + inputs)
    m_index = last_json(out)
    print("[2/4] exporting the stored articles for FTS5", file=sys.stderr)
    run_measured([exe("morgue-bench"), "export", "--archive", archive, "--out", export])
    if args.plain_xapian > 0:
        # The peer the benchmarks issue states Morgue's indexing speed against, on this machine.
        print("[2/4] plain Xapian writer: the first %d articles" % args.plain_xapian, file=sys.stderr)
        out, _, _, _ = run_measured([exe("morgue-bench"), "plain-xapian", "--db", os.path.join(args.work, "plain-xapian"),
                                     "--limit", str(args.plain_xapian), "--json", export])
        m_index["plain_xapian"] = last_json(out)
        shutil.rmtree(os.path.join(args.work, "plain-xapian"), ignore_errors=True)
    print("[3/4] FTS5: loading the same articles", file=sys.stderr)
    out, wall, cpu, rss = run_measured([sys.executable, me, "--fts5-load", sqlite_db, export])
    f_index = last_json(out)
    f_index["peak_rss_mb"] = rss
    f_index["cpu_seconds"] = cpu
    if f_index["articles"] != m_index["articles"]:
        fail("FTS5 loaded %d articles, Morgue holds %d" % (f_index["articles"], m_index["articles"]))
    run_queries(args, exe, archive, sqlite_db, me, m_index, f_index, started, t0, inputs, add_args)


def run_queries(args, exe, archive, sqlite_db, me, m_index, f_index, started, t0, inputs, add_args):
    """Step 4 and the report: each query file through both engines, passes alternating."""
    query_sets = {}
    for qfile in args.queries:
        name = os.path.splitext(os.path.basename(qfile))[0]
        print("[4/4] queries: %s (%d passes each)" % (name, args.passes), file=sys.stderr)
        # Passes alternate between the engines, so a burst of load from elsewhere hits both alike.
        m_passes, f_passes, loads, m_per_query, f_per_query = [], [], [], [], []
        answered = f_answered = 0
        f_flags = []
        for _ in range(args.passes):
            loads.append(os.getloadavg()[0])
            out, _, _, _ = run_measured([exe("morgue-bench"), "query", "--archive", archive, "--queries", qfile,
                                         "--snippets", "--limit", "10", "--warmup", "1", "--json"])
            d = json.loads(out)
            m_passes.append({k: d[k] for k in ("p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms")})
            answered = sum(1 for q in d["per_query"] if q.get("hits", 0) > 0)
            m_per_query.append([q.get("p50_ms") for q in d["per_query"]])
            out, _, _, _ = run_measured([sys.executable, me, "--fts5-query", sqlite_db, qfile,
                                         "--passes", "1", "--limit", "10", "--mmap", str(args.fts5_mmap)])
            f = last_json(out)
            f_passes += f["passes"]
            f_answered, f_flags = f["answered"], f["answered_flags"]
            f_per_query.append(f["per_query_ms"])
        per_query_median = lambda runs: [None if None in t else statistics.median(t) for t in zip(*runs)]
        f_q = {"passes": f_passes, "answered": f_answered, "answered_flags": f_flags,
               "per_query_ms": per_query_median(f_per_query), "load_1min": loads}
        query_sets[name] = ({"passes": m_passes, "answered": answered,
                             "per_query_ms": per_query_median(m_per_query)}, f_q)

    rows = build_rows(m_index, f_index, query_sets)
    ended = machine()
    result = {
        "label": args.label, "inputs": inputs, "add_options": add_args, "passes": args.passes,
        "machine": started, "load_before": started["load"], "load_after": ended["load"],
        "seconds": time.time() - t0, "morgue_index": m_index, "fts5_index": f_index,
        "queries": {k: {"morgue": v[0], "fts5": v[1]} for k, v in query_sets.items()},
        "table": [{"row": r[0], "morgue": r[1], "fts5": r[2], "morgue_ahead_by": better(r)} for r in rows],
    }
    header = "%s: %d articles, %.1f MB of title+body; %s, %d cores; load %s before, %s after" % (
        args.label or ", ".join(inputs), m_index["articles"], mb(m_index["raw_text_bytes"]),
        started.get("cpu", "?"), started["nproc"], started["load"], ended["load"])
    print(header)
    print(render_table(rows, markdown=False))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(header + "\n\n" + render_table(rows, markdown=True) + "\n")
    if not args.keep and not args.reuse:
        shutil.rmtree(args.work, ignore_errors=True)


def main():
    argv = sys.argv[1:]
    if argv[:1] == ["--fts5-load"] and len(argv) == 3:
        return fts5_load(argv[1], argv[2])
    if argv[:1] == ["--fts5-query"]:
        p = argparse.ArgumentParser(prog="compare_fts5.py --fts5-query")
        p.add_argument("db")
        p.add_argument("queries")
        p.add_argument("--passes", type=int, default=3)
        p.add_argument("--limit", type=int, default=10)
        p.add_argument("--mmap", type=int, default=0)
        a = p.parse_args(argv[1:])
        return fts5_query(a.db, a.queries, a.passes, a.limit, a.mmap)
    p = argparse.ArgumentParser(description="Morgue against SQLite FTS5, same articles, same queries, one table.")
    p.add_argument("--bin", required=True, help="the build directory holding morgue-bench and morgue-index")
    p.add_argument("--work", required=True, help="a new directory for the archive, export and SQLite file")
    p.add_argument("--queries", action="append", default=[], help="query file, one per line (repeatable)")
    p.add_argument("--passes", type=int, default=3, help="timed passes per engine and query file (median taken)")
    p.add_argument("--label", default="", help="name of the corpus for the table's heading")
    p.add_argument("--json", help="write every figure here as JSON")
    p.add_argument("--markdown", help="write the table here as Markdown")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--reuse", metavar="PREVIOUS_JSON",
                   help="queries only: reuse the archive and SQLite file a --keep run left in --work, "
                        "with that run's indexing figures from its --json")
    p.add_argument("--fts5-mmap", type=int, default=0, metavar="BYTES",
                   help="FTS5 reads its file through a memory map of up to BYTES (PRAGMA mmap_size; "
                        "default 0: SQLite's default)")
    p.add_argument("--add-options", default="", help="options for morgue-index add, one string ('--format sgml')")
    p.add_argument("--plain-xapian", type=int, default=0, metavar="N",
                   help="also time a plain Xapian writer (morgue-bench plain-xapian) on the first N articles")
    p.add_argument("inputs", nargs="+", help="crawl files or directories, as for morgue-index add")
    args = p.parse_args(argv)
    if not args.queries:
        p.error("give at least one --queries FILE")
    for q in args.queries:
        if not os.path.isfile(q):
            fail("%s: no such query file" % q, 2)
    compare(args, shlex.split(args.add_options), args.inputs)


if __name__ == "__main__":
    main()

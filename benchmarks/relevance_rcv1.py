#!/usr/bin/env python3
"""@file relevance_rcv1.py
@brief Relevance of Morgue's ranking on the judged RCV1 stories, beside SQLite FTS5's BM25, in one run.

What it does, from scratch every time:
  1. Reads the 2,346 NewsML stories of shared/corpus/rcv1_ifn647/docs and shared/relevance/rcv1/docs.
     If morgue-index reads NewsML (the ingest reader), it indexes the XML as is; otherwise this script
     converts each story to Morgue's JSON Lines (headline, paragraphs, date, itemid) and indexes that.
  2. Loads the same headline and text into an SQLite FTS5 table (tokenize='porter unicode61').
  3. Runs each topic title of relevance/rcv1/topics-dev.tsv as a user types it, top 100, through
     FTS5 (the title words ORed, and ANDed) and through morgue-search in several configurations: the
     default, and each ranking feature switched on or off, so that each one's effect shows.
  4. Prints MAP, P@10 and nDCG@10 for each (binary judgments from qrels-dev.txt; a story never judged
     for a topic counts as not relevant) and, with --json, writes per-topic figures.

Usage: relevance_rcv1.py --bin BUILD_DIR --work DIR [--index-bin BUILD_DIR] [--shared DIR] [--json OUT]
                         [--markdown OUT]
--index-bin takes morgue-index from another build (e.g. one with the NewsML reader, which gives each
story its countries as place entities, so that the entity boost has something to work on).
Exit status: 0 ok, 1 failure, 2 usage error.
"""
import argparse
import html
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys


def fail(message, status=1):
    print("relevance_rcv1: " + message, file=sys.stderr)
    sys.exit(status)


# ---------------------------------------------------------------- the collection

def read_story(path):
    """The parts of a NewsML story both engines index: id, date, headline, text."""
    raw = open(path, "rb").read().decode("latin-1")
    itemid = re.search(r'<newsitem[^>]*\bitemid="([^"]+)"', raw).group(1)
    date = re.search(r'<newsitem[^>]*\bdate="([^"]+)"', raw)
    head = re.search(r"<headline>(.*?)</headline>", raw, re.S)
    paras = re.findall(r"<p>(.*?)</p>", raw, re.S)
    clean = lambda s: re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s))).strip()
    return {"id": itemid, "date": date.group(1) if date else None,
            "title": clean(head.group(1)) if head else "", "body": "\n\n".join(clean(p) for p in paras)}


def story_paths(shared):
    dirs = [os.path.join(shared, "corpus", "rcv1_ifn647", "docs"), os.path.join(shared, "relevance", "rcv1", "docs")]
    paths = []
    for d in dirs:
        if not os.path.isdir(d):
            fail(d + ": missing (set --shared)")
        paths += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".xml")]
    return paths


def read_topics(shared):
    topics = []
    for line in open(os.path.join(shared, "relevance", "rcv1", "topics-dev.tsv"), encoding="utf-8"):
        if line.strip():
            tid, title = line.rstrip("\n").split("\t", 1)
            topics.append((tid, title))
    return topics


def read_qrels(shared):
    rel = {}
    for line in open(os.path.join(shared, "relevance", "rcv1", "qrels-dev.txt"), encoding="utf-8"):
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            rel.setdefault(parts[0], set()).add(parts[2])
    return rel


# ---------------------------------------------------------------- measures

def average_precision(ranked, relevant):
    hits, total = 0, 0.0
    for k, doc in enumerate(ranked, 1):
        if doc in relevant:
            hits += 1
            total += hits / k
    return total / len(relevant) if relevant else 0.0


def precision_at(ranked, relevant, k=10):
    return sum(1 for d in ranked[:k] if d in relevant) / k


def ndcg_at(ranked, relevant, k=10):
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def evaluate(runs, qrels):
    """runs: {topic: [ids]} -> (MAP, P@10, nDCG@10, per-topic AP)."""
    per = {t: average_precision(r, qrels.get(t, set())) for t, r in runs.items()}
    n = len(runs)
    return (sum(per.values()) / n,
            sum(precision_at(r, qrels.get(t, set())) for t, r in runs.items()) / n,
            sum(ndcg_at(r, qrels.get(t, set())) for t, r in runs.items()) / n, per)


# ---------------------------------------------------------------- engines

def words_of(title):
    """The title's words as a user typed them, without the punctuation between them."""
    return [w for w in (t.strip(",;:()\"") for t in title.split()) if w]


def fts5_runs(db_path, stories, topics, op):
    con = sqlite3.connect(db_path)
    if not con.execute("SELECT count(*) FROM sqlite_master WHERE name='docs'").fetchone()[0]:
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
        con.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(s["id"], s["title"], s["body"]) for s in stories])
        con.commit()
    runs = {}
    for tid, title in topics:
        q = (" %s " % op).join('"%s"' % w.replace('"', '""') for w in words_of(title))
        runs[tid] = [r[0] for r in con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 100", (q,))]
    con.close()
    return runs


def morgue_runs(bin_dir, archive, topics, options, rewrite=None):
    runs = {}
    for tid, title in topics:
        query = rewrite(title) if rewrite else title
        out = subprocess.run([os.path.join(bin_dir, "morgue-search"), "--archive", archive, "--json", "--limit", "100",
                              "--no-collapse"] + options + [query], capture_output=True, text=True)
        if out.returncode != 0:
            fail("morgue-search failed on %r: %s" % (query, out.stderr.strip()))
        # The NewsML reader names stories "rcv1:ITEMID"; the judgments use the bare itemid.
        runs[tid] = [r["id"].split(":")[-1] for r in json.loads(out.stdout)["results"]]
    return runs


def index_morgue(bin_dir, work, paths, stories):
    archive = os.path.join(work, "archive")
    index = os.path.join(bin_dir, "morgue-index")
    # NewsML straight from the files when morgue-index reads it (the ingest engineer's reader).
    listing = os.path.join(work, "xml-files")
    os.makedirs(listing, exist_ok=True)
    probe = subprocess.run([index, "add", "--archive", os.path.join(work, "probe"), "--json", paths[0]],
                           capture_output=True, text=True)
    shutil.rmtree(os.path.join(work, "probe"), ignore_errors=True)
    reads_newsml = probe.returncode == 0 and json.loads(probe.stdout).get("added") == 1
    if reads_newsml:
        for p in paths:
            os.symlink(p, os.path.join(listing, os.path.basename(os.path.dirname(os.path.dirname(p))) + "-" +
                                       os.path.basename(p)))
        source, inputs = "NewsML read by morgue-index", [listing]
    else:
        jsonl = os.path.join(work, "rcv1.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for s in stories:
                rec = {"id": s["id"], "title": s["title"], "body": s["body"], "source": "Reuters", "language": "en"}
                if s["date"]:
                    rec["date"] = s["date"]
                f.write(json.dumps(rec) + "\n")
        source, inputs = "JSON Lines converted by this script (morgue-index does not read NewsML yet)", [jsonl]
    out = subprocess.run([index, "add", "--archive", archive, "--json"] + inputs, capture_output=True, text=True)
    if out.returncode != 0:
        fail("morgue-index add failed: " + out.stderr.strip())
    added = json.loads(out.stdout)["added"]
    if added != len(stories):
        fail("morgue-index added %d stories, expected %d" % (added, len(stories)))
    return archive, source


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="build directory holding morgue-index and morgue-search")
    ap.add_argument("--work", required=True, help="scratch directory (must not exist or be empty)")
    ap.add_argument("--shared", default=os.environ.get("MORGUE_SHARED",
                                                       os.path.join(os.path.dirname(__file__), "..", "..", "shared")))
    ap.add_argument("--index-bin", help="build directory of the morgue-index to use (default: --bin)")
    ap.add_argument("--json", help="write every figure, per topic too, here")
    ap.add_argument("--markdown", help="write the table as Markdown here")
    args = ap.parse_args()
    if os.path.exists(args.work) and os.listdir(args.work):
        fail(args.work + ": not empty", 2)
    os.makedirs(args.work, exist_ok=True)

    paths = story_paths(args.shared)
    stories = [read_story(p) for p in paths]
    ids = {s["id"] for s in stories}
    if len(ids) != len(stories):
        fail("duplicate itemids among the stories")
    topics, qrels = read_topics(args.shared), read_qrels(args.shared)
    archive, source = index_morgue(args.index_bin or args.bin, args.work, paths, stories)
    fts_db = os.path.join(args.work, "fts5.sqlite")

    any_words = lambda t: " OR ".join(words_of(t))
    all_words = lambda t: " ".join("+" + w for w in words_of(t))
    configs = [
        ("SQLite FTS5 BM25, title words ORed", lambda: fts5_runs(fts_db, stories, topics, "OR")),
        ("SQLite FTS5 BM25, title words ANDed", lambda: fts5_runs(fts_db, stories, topics, "AND")),
        ("Morgue default (all words first, then the best partial matches)",
         lambda: morgue_runs(args.bin, archive, topics, [])),
        ("Morgue, words ORed (plain BM25)", lambda: morgue_runs(args.bin, archive, topics, [], any_words)),
        ("Morgue, words ANDed (+word each)", lambda: morgue_runs(args.bin, archive, topics, [], all_words)),
        ("Morgue default, --recency 7d", lambda: morgue_runs(args.bin, archive, topics, ["--recency", "7d"])),
        ("Morgue default, --recency 30d", lambda: morgue_runs(args.bin, archive, topics, ["--recency", "30d"])),
        ("Morgue default, --sort newest", lambda: morgue_runs(args.bin, archive, topics, ["--sort", "newest"])),
    ]
    for name, flag in (("--title-weight 0.5", ["--title-weight", "0.5"]),
                       ("--title-weight 2", ["--title-weight", "2"]),
                       ("entity boost off (--no-entity-boost)", ["--no-entity-boost"])):
        configs.append(("Morgue default, " + name, (lambda f: lambda: morgue_runs(args.bin, archive, topics, f))(flag)))

    rows, detail = [], {}
    for name, run in configs:
        try:
            runs = run()
        except SystemExit:
            if name.startswith("Morgue default, ") and ("title" in name or "entity" in name):
                continue  # a feature this build does not have
            raise
        m, p10, ndcg, per = evaluate(runs, qrels)
        rows.append((name, m, p10, ndcg))
        detail[name] = {"map": m, "p@10": p10, "ndcg@10": ndcg, "ap": per}

    header = "| ranking | MAP | P@10 | nDCG@10 |\n|---|---|---|---|\n"
    table = header + "".join("| %s | %.3f | %.3f | %.3f |\n" % r for r in rows)
    print("RCV1 relevance set: %d stories (%s), %d topics (%d relevant judgments), top 100\n" %
          (len(stories), source, len(topics), sum(len(v) for v in qrels.values())))
    print(table)
    if args.markdown:
        open(args.markdown, "w").write(table)
    if args.json:
        json.dump({"stories": len(stories), "source": source, "topics": len(topics), "results": detail},
                  open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()

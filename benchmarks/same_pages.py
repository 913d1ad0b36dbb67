#!/usr/bin/env python3
"""Do two builds of morgue-search show the same pages?

For a change that should leave results alone (a faster fold, a cheaper count), runs both
binaries on the same archive over query files, pages 1 and 2 (--offset 0 and 10), and
compares the ids, "similar" counts, partial flags and "did you mean" of every page. Totals
that are estimates may differ; those counted exactly must not.

  python3 benchmarks/same_pages.py --old OLD/morgue-search --new build/morgue-search \\
      --archive W/morgue --queries ../shared/queries/robust04_titles.txt [--queries ...] [--max 300]

Exit status 0 when every page is the same, 1 otherwise.
"""
import argparse
import json
import subprocess
import sys


def page(binary, archive, query, offset):
    r = subprocess.run([binary, '--archive', archive, '--json', '--offset', str(offset), '--', query],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return {'error': r.stderr.strip()}
    j = json.loads(r.stdout)
    return {'hits': [(h['id'], h.get('similar'), h.get('partial')) for h in j['results']],
            'partial': j.get('partial'), 'did_you_mean': j.get('did_you_mean'),
            'total': (j.get('total'), j.get('total_exact')), 'total_folded': (j.get('total_folded'), j.get('total_folded_exact'))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--old', required=True)
    ap.add_argument('--new', required=True)
    ap.add_argument('--archive', required=True)
    ap.add_argument('--queries', action='append', required=True)
    ap.add_argument('--max', type=int, default=300, help='at most this many queries of each file')
    a = ap.parse_args()
    pages = differ = 0
    for path in a.queries:
        with open(path, encoding='utf-8') as f:
            queries = [q.strip() for q in f if q.strip()][:a.max]
        for q in queries:
            for offset in (0, 10):
                old, new = page(a.old, a.archive, q, offset), page(a.new, a.archive, q, offset)
                pages += 1
                same = all(old.get(k) == new.get(k) for k in ('hits', 'partial', 'did_you_mean', 'error'))
                for k in ('total', 'total_folded'):  # an exact count must stay exact and equal
                    if old.get(k) and new.get(k) and old[k][1] and new[k][1] and old[k][0] != new[k][0]:
                        same = False
                if not same:
                    differ += 1
                    print(f'differs: offset {offset}: {q}\n  old {old}\n  new {new}')
    print(f'{pages} pages, {differ} differ')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main())

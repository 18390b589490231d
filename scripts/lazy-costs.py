#!/usr/bin/env python3
"""What opening each lazy page costs on top of the first visit: the chunks the loader fetches for
it (its own and every shared chunk it needs, read from the loader's dependency lists), counted as
the server sends them (the .br files); and what a visit that starts on a lazy route downloads: the
first visit and that route's pack (its chunks in one file, named by the route page's
`<meta name=portico-pack>`). Usage: lazy-costs.py DIST FIRST_VISIT_BYTES; prints
Markdown table rows."""
import re
import sys
from pathlib import Path

dist, first_visit = Path(sys.argv[1]), int(sys.argv[2])
loader = next(dist.glob("__wasm_split-*.js")).read_text()
# `NAME=c(()=>{const t=fetch(new URL("./FILE",...)...},[DEPS])`: a chunk, its file and what it needs.
entry = re.compile(r'(?:export const )?([\w$]+)=(?:[\w$]+\()?[\w$]+\(\(\)=>\{const [\w$]+=[\w$]+\(new URL\("\./([^"]+)"[^\]]*?\},\[([\w$,]*)\]\)')
chunks = {name: (file, [d for d in deps.split(",") if d]) for name, file, deps in entry.findall(loader)}
if not chunks:
    sys.exit("lazy-costs.py: no chunk found in the loader (its shape changed?)")


# Which pack a route page preloads, by the chunks it holds.
packs = {}
for page in sorted(dist.glob("routes/*.html")):
    meta = re.search(r'<meta content="/(\S+) \S+ ([^"]+)" name=portico-pack>', page.read_text())
    if meta:
        for part in meta.group(2).split():
            packs.setdefault(part.split(":")[0], (dist / (meta.group(1) + ".br")).stat().st_size)


def needed(name, seen):
    if name in seen:
        return
    seen.add(name)
    for dep in chunks[name][1]:
        needed(dep, seen)


for name, (file, _) in sorted(chunks.items()):
    if not name.startswith("__wasm_split_load_"):
        continue
    seen = set()
    needed(name, seen)
    extra = sum((dist / (chunks[n][0] + ".br")).stat().st_size for n in seen)
    page = re.sub(r"^__wasm_split_load_+|_\d+$", "", name)
    own = Path(file).stem.rsplit("-", 1)[0]
    outside = f"{first_visit + packs[own]} (pack {packs[own]})" if own in packs else "—"
    print(f"| {page} | {len(seen)} | {extra} | {outside} |")

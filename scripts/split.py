#!/usr/bin/env python3
"""Trunk post-build hook: cuts a bundle's wasm at its lazy routes (and `#[lazy]` functions) into a
main module and chunks. Usage: split.py [BIN] — the binary Trunk built (`portico`, the portal, by
default; `portico-widget` for the widget, whose Trunk.toml passes it).

Trunk cannot split yet (trunk-rs/trunk#1022), so this does what cargo-leptos does for `--split`:
the wasm as linked (kept with its relocations: `-Clink-args=--emit-relocs` in .cargo/config.toml)
goes through `wasm-split-cli` (crate wasm_split_cli_support), the main module through wasm-bindgen,
every module through `wasm-opt -Oz` and the JS (wasm-bindgen's glue, the loader) through terser
(release builds; Trunk's own JS minifier cannot read the glue). The results replace Trunk's unsplit
`portico-HASH.js` / `portico-HASH_bg.wasm` in the staging directory under the same names, the
chunks and the loader that fetches them (`__wasm_split-HASH.js`) are named with the same build
hash, and every one of them is fetched with its SRI hash: the loader through a `modulepreload`
with `integrity` in index.html, each chunk through `fetch(url, {integrity})`.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADER = "__wasm_split"


def tool(name: str, *local: Path) -> str:
    for candidate in local:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"split.py: {name} is missing (scripts/setup.sh build installs it)")
    return found


def run(*args) -> None:
    subprocess.run([str(a) for a in args], check=True)


def sri(path: Path, algorithm: str = "sha384") -> str:
    digest = hashlib.new(algorithm, path.read_bytes()).digest()
    return f"{algorithm}-" + base64.b64encode(digest).decode()


def main() -> None:
    staging = Path(os.environ["TRUNK_STAGING_DIR"])
    release = os.environ.get("TRUNK_PROFILE") == "release"
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = sys.argv[1] if len(sys.argv) > 1 else "portico"
    linked = target / "wasm32-unknown-unknown" / ("release" if release else "debug") / f"{binary}.wasm"

    (glue,) = [p for p in staging.glob(f"{binary}-*.js") if re.fullmatch(rf"{re.escape(binary)}-[0-9a-f]+", p.stem)]
    stem = glue.stem  # NAME-<build hash>
    build_hash = stem.rsplit("-", 1)[1]
    main_wasm = staging / f"{stem}_bg.wasm"

    split_cli = tool("wasm-split-cli", Path.home() / ".cargo/bin/wasm-split-cli")
    bindgen = tool("wasm-bindgen", Path.home() / ".cargo/bin/wasm-bindgen")
    wasm_opt = tool("wasm-opt", ROOT / "node_modules/.bin/wasm-opt")
    terser = tool("terser", ROOT / "node_modules/.bin/terser")

    def minify(script: Path) -> None:
        # Names inside the module only: exports and the wasm's import names (properties) stay.
        if release:
            run(terser, script, "--module", "--compress", "--mangle", "-o", script)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run(split_cli, linked, tmp, "--out-name", binary)
        run(bindgen, "--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript",
            "--out-dir", tmp / "bound", "--out-name", binary, tmp / f"{binary}.wasm")
        chunks = sorted(p for p in tmp.glob("*.wasm") if p.name != f"{binary}.wasm")

        jobs = [(tmp / "bound" / f"{binary}_bg.wasm", main_wasm)]
        jobs += [(chunk, staging / f"{chunk.stem}-{build_hash}.wasm") for chunk in chunks]

        def finish(job):
            source, dest = job
            if release:
                # --converge runs -Oz again while the module still shrinks: the portal's main
                # module -274 to -447 B brotli (three builds), its chunks -180 B, the widget -125 B;
                # ~13 s more.
                run(wasm_opt, "-Oz", "--converge", source, "-o", dest)
            else:
                shutil.copyfile(source, dest)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(finish, jobs))

        loader = (tmp / f"{LOADER}.js").read_text()
        entry_points = chunk_sets(loader)
        loader = loader.replace(f'from "./{binary}.js"', f'from "./{stem}.js"')
        # The portal's route pages hand their chunks over in one pack (write_route_pages); the
        # widget runs on partners' pages and reads nothing of theirs: it fetches each chunk.
        packed = binary == "portico"
        if packed:
            loader = PACK_READER + loader
        for chunk in chunks:
            name = f"{chunk.stem}-{build_hash}.wasm"
            before = f'fetch(new URL("./{chunk.name}", import.meta.url))'
            # SHA-256: a chunk's hash is in the loader every first visit downloads, and 44
            # characters of base64 do not compress (SHA-384's 64 cost ~16 B more per chunk).
            fetcher = "__chunk" if packed else "fetch"
            after = f'{fetcher}(new URL("./{name}", import.meta.url), {{ integrity: "{sri(staging / name, "sha256")}" }})'
            if before not in loader:
                sys.exit(f"split.py: the loader does not fetch {chunk.name} as expected")
            loader = loader.replace(before, after)
        loader_file = staging / f"{LOADER}-{build_hash}.js"
        loader_file.write_text(loader)
        minify(loader_file)

        glue_text = (tmp / "bound" / f"{binary}.js").read_text()
        # Only the import statements: the wasm still names its import module `./__wasm_split.js`.
        glue.write_text(glue_text.replace(f'from "./{LOADER}.js"', f'from "./{loader_file.name}"'))
        minify(glue)

    index = staging / "index.html"
    html = index.read_text()
    for asset in (glue, main_wasm):
        def rehash(tag: re.Match) -> str:
            if f"/{asset.name}" not in tag.group(0):
                return tag.group(0)
            return re.sub(r"sha384-[A-Za-z0-9+/=]+", sri(asset), tag.group(0))
        html, tags = re.subn(r"<link[^>]*>", rehash, html)
        if f"/{asset.name}" not in html or sri(asset) not in html:
            sys.exit(f"split.py: index.html does not preload {asset.name} with its integrity")
    preload = f'<link crossorigin href=/{loader_file.name} integrity={sri(loader_file)} rel=modulepreload>'
    html = html.replace("</head>", preload + "</head>", 1)
    index.write_text(html)
    if binary == "portico":
        write_route_pages(staging, html, entry_points, build_hash)
    print(f"split.py: {len(chunks)} chunks beside {main_wasm.name}")


# Prepended to the portal's chunk loader. A route page (write_route_pages) names in
# `<meta name=portico-pack>` a pack it preloads: the chunks that route needs, end to end, and each
# one's length. A chunk in the pack is taken from it (the pack was checked against its integrity,
# so its parts are too); any other chunk, or every chunk when the pack failed, is fetched alone.
# Twenty small requests cost a phone on a slow network several round trips; one costs one.
PACK_READER = """const __pack = (() => {
  const meta = document.querySelector("meta[name=portico-pack]");
  if (!meta) return undefined;
  const [href, integrity, ...parts] = meta.content.split(" ");
  const at = new Map();
  let end = 0;
  for (const part of parts) {
    const [name, length] = part.split(":");
    at.set(name, [end, (end += Number(length))]);
  }
  const bytes = fetch(href, { integrity }).then((r) => (r.ok ? r.arrayBuffer() : undefined), () => undefined);
  return { at, bytes };
})();
function __chunk(url, options) {
  const range = __pack && __pack.at.get(url.pathname.split("/").pop().split("-")[0]);
  if (!range) return fetch(url, options);
  return __pack.bytes.then((bytes) => bytes
    ? new Response(bytes.slice(...range), { headers: { "content-type": "application/wasm" } })
    : fetch(url, options));
}
"""


def chunk_sets(loader: str) -> dict[str, list[str]]:
    """Each split point of wasm-split's loader (`__wasm_split_load_NAME`) and every chunk file it
    fetches: its own and, transitively, the shared chunks it needs."""
    entry = re.compile(
        r'const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([^"]+)"'
        r'.*?\n\}\s*,\s*\[([^\]]*)\]\)',
        re.S,
    )
    found = {name: (file, [d.strip() for d in deps.split(",") if d.strip()])
             for name, file, deps in entry.findall(loader)}
    if not found:
        sys.exit("split.py: no chunk found in wasm-split's loader (its shape changed?)")

    def files(name: str, seen: set[str]) -> None:
        if name not in seen:
            seen.add(name)
            for dep in found[name][1]:
                files(dep, seen)

    sets = {}
    for name in found:
        if name.startswith("__wasm_split_load_"):
            seen: set[str] = set()
            files(name, seen)
            sets[name] = sorted(found[n][0] for n in seen)
    return sets


def write_route_pages(staging: Path, html: str, entry_points: dict[str, list[str]], build_hash: str) -> None:
    """A copy of index.html per lazy route of the portal (src/lib.rs: `path!("...")` with
    `Lazy::<NameRoute>`) that also preloads that route's chunks as one pack (PACK_READER), so a
    visit that starts on it fetches them beside the main module, in one request, instead of after
    it; `routes.json` lists which page serves which route, for the server."""
    routes = re.findall(r'path!\("([^"]+)"\)\s+view=\{Lazy::<(\w+)>::new\(\)\}', (ROOT / "src/lib.rs").read_text())
    if not routes:
        sys.exit("split.py: no lazy route found in src/lib.rs (its shape changed?)")
    (staging / "routes").mkdir(exist_ok=True)
    table = []
    for path, view in routes:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", view).lower()
        (files,) = [f for name, f in entry_points.items()
                    if re.fullmatch(rf"__wasm_split_load___{snake}_view_\d+", name)]
        slug = path.strip("/").replace(":", "").replace("/", "-") or "index"
        parts = [(Path(f).stem, (staging / f"{Path(f).stem}-{build_hash}.wasm").read_bytes()) for f in files]
        pack = staging / f"pack_{slug.replace('-', '_')}-{build_hash}.bin"
        pack.write_bytes(b"".join(bytes_ for _, bytes_ in parts))
        integrity = sri(pack, "sha256")
        contents = " ".join(f"{name}:{len(bytes_)}" for name, bytes_ in parts)
        head = (f'<link as=fetch crossorigin href=/{pack.name} integrity={integrity} rel=preload>'
                f'<meta content="/{pack.name} {integrity} {contents}" name=portico-pack>')
        page = f"routes/{slug}.html"
        (staging / page).write_text(html.replace("</head>", head + "</head>", 1))
        table.append({"path": path, "page": page})
    (staging / "routes.json").write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()

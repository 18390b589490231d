#!/usr/bin/env python3
"""After Trunk built the widget into DIST/widget/ (split by scripts/split.py, which also minified
its JS): writes the loader, DIST/widget.js, from widget/loader.js with this build's file names
filled in, minified with terser in release builds.
Trunk's index.html for the widget is removed: partners load the widget through the loader only.
Usage: widget.py DIST [--release]"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    dist = Path(sys.argv[1])
    release = "--release" in sys.argv[2:]
    built = dist / "widget"
    (glue,) = built.glob("portico-widget-*.js")
    (wasm,) = built.glob("portico-widget-*_bg.wasm")  # the main module; chunks are split_*/chunk_*
    (built / "index.html").unlink(missing_ok=True)
    loader = (ROOT / "widget" / "loader.js").read_text()
    for placeholder, name in (("__GLUE__", glue.name), ("__WASM__", wasm.name)):
        if placeholder not in loader:
            sys.exit(f"widget.py: the loader has no {placeholder} to fill in")
        loader = loader.replace(placeholder, name)
    out = dist / "widget.js"
    out.write_text(loader)
    if release:
        terser = ROOT / "node_modules/.bin/terser"
        if not terser.exists():
            terser = shutil.which("terser")
        if not terser:
            sys.exit("widget.py: terser is missing (scripts/setup.sh build installs it)")
        # A classic script: its one global is window.Portico, set by property.
        subprocess.run([str(terser), str(out), "--compress", "--mangle", "-o", str(out)], check=True)
    print(f"widget.py: {out.name} loads {glue.name} and {wasm.name}")


if __name__ == "__main__":
    main()

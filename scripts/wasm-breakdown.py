#!/usr/bin/env python3
"""Where the portal's wasm bytes go: twiggy's items (CSV on stdin, from the release wasm before
wasm-opt, which still has names) grouped by what they are for, and the largest items. Name and
custom sections are left out: they never reach a browser. Sizes are before wasm-opt and before
compression, and wasm-bindgen's own descriptors (which it removes) are left out, so the shares matter
more than the bytes."""
import csv
import re
import sys

GROUPS = [
    ("views and reactivity (tachys, reactive_graph, leptos)", ("tachys", "reactive_graph", "leptos", "either_of", "any_spawner", "throw_error", "oco_ref", "guardian", "slotmap", "send_wrapper", "or_poisoned", "futures", "futures_util", "futures_channel", "futures_core", "pin_project")),
    ("router (leptos_router)", ("leptos_router", "leptos_router_macro", "percent_encoding", "url")),
    ("i18n (leptos_i18n)", ("leptos_i18n", "icu_locale", "icu_locale_core", "icu_provider", "fixed_decimal", "writeable", "tinystr")),
    ("serde, serde_json", ("serde", "serde_core", "serde_json", "itoa", "ryu", "memchr")),
    ("the app's own code (portico, portico_client, portico_api)", ("portico", "portico_client", "portico_api")),
    ("browser bindings (wasm_bindgen, js_sys, web_sys)", ("wasm_bindgen", "js_sys", "web_sys", "wasm_bindgen_futures", "gloo_timers", "console_error_panic_hook")),
]


def crate_of(name: str) -> str:
    # `core[c5930c85a12de822]::str::...`: crate names may carry a disambiguator.
    name = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    match = re.search(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    return match.group(1) if match else ""


def group_of(name: str) -> str:
    if name.startswith("data segment") or name.startswith("data["):
        return "data (strings, tables, panic locations)"
    if "panic" in name:
        return "panics"
    plain = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    if re.search(r"\b(core|alloc)::fmt\b", plain):
        return "formatting (core::fmt)"
    crate = crate_of(name)
    for title, crates in GROUPS:
        if crate in crates:
            return title
    if crate in ("core", "alloc", "std", "dlmalloc", "hashbrown", "indexmap", "__rustc", "async_lock", "event_listener", "leptos_dom", "leptos_server", "zmij", "rustc_hash"):
        return "core, alloc, std"
    return "other (unnamed functions, tables, imports)"


def main() -> None:
    rows = [r for r in csv.DictReader(sys.stdin) if r["Name"] and not r["Name"].startswith("Σ")]
    items = [
        (r["Name"], int(r["ShallowSize"]))
        for r in rows
        if not r["Name"].startswith("custom section")
        and "subsection" not in r["Name"]
        and not r["Name"].startswith("...")
        # wasm-bindgen's descriptors and their exports: read and removed by wasm-bindgen.
        and "__wbindgen_describe" not in r["Name"]
        and not r["Name"].startswith('export "')
    ]
    total = sum(size for _, size in items)
    groups: dict[str, int] = {}
    for name, size in items:
        groups[group_of(name)] = groups.get(group_of(name), 0) + size
    print(f"Code and data before wasm-opt: {total} bytes in {len(items)} items.\n")
    print("| what | bytes | share |")
    print("| --- | ---: | ---: |")
    for title, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"| {title} | {size} | {100 * size / total:.1f}% |")
    print("\nLargest items:\n")
    print("| bytes | item |")
    print("| ---: | --- |")
    for name, size in sorted(items, key=lambda kv: -kv[1])[:15]:
        short = re.sub(r"::h[0-9a-f]{16}$", "", name).replace("|", "\\|")
        print(f"| {size} | `{short[:110]}` |")


if __name__ == "__main__":
    main()

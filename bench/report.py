"""The lines ``make bench`` prints under the budgets' table: the spread behind the medians, bytes per level and per
resource type, the phone against the floor, and the load tests' counts (from ``details`` in bench/results.json)."""
from __future__ import annotations

import statistics

from bench import behind_nginx


def gemeente_files(sizes: dict) -> str:
    """The files of one gemeente each, summed per level: the largest and the total."""
    levels: dict[str, list[dict]] = {}
    for name, size in sizes.items():
        if "-GM" in name:
            levels.setdefault(name.split("-GM")[0], []).append(size)
    return ", ".join(f"{level} per gemeente ({len(files)} files) largest {max(f['gzip'] for f in files) / 1e3:.0f} KB "
                     f"gzip, together {sum(f['gzip'] for f in files) / 1e6:.2f} MB" for level, files in levels.items())


def phone_against_floor(details: dict) -> str:
    """The public first view as a phone against the desktop, and the same for the floor page of that view."""
    def median(views: list[dict]) -> float:
        return statistics.median(v["seconds"] for v in views)

    ours = [median(details[f"first_view_{kind}"]) for kind in ("phone", "desktop")]
    bare = [median(details[f"floor_first_view_{kind}"]) for kind in ("phone", "desktop")]
    return (f"first view as a phone / on the desktop: ours {ours[0]:.2f} / {ours[1]:.2f} s = {ours[0] / ours[1]:.1f}x; "
            f"the floor page of the same geometry {bare[0]:.2f} / {bare[1]:.2f} s = {bare[0] / bare[1]:.1f}x")


def spread(values: list[float]) -> str:
    return f"{min(values):.3f}–{max(values):.3f}"


def summary(details: dict) -> str:
    """The spread behind the medians, bytes per level and per resource type, and the load tests' counts."""
    view = details["first_view_desktop"][0]
    lines = [
        f"first draw ({', '.join(details['first_draw_geometry'])}): median of {details['runs']} "
        f"{spread(details['first_draws_s'])} s; floor {spread(details['floor_first_draws_s'])} s; own canvas layer "
        f"{spread(details['canvas_first_draws_s'])} s; repaint "
        f"{spread(details['repaints_s'])} s; naive draw {spread(details['naive_first_draws_s'])} s, naive repaint "
        f"{spread(details['naive_repaints_s'])} s",
        f"repaints as wall time around the click (Playwright's steps before it included): "
        f"{spread(details['repaints_wall_s'])} s, naive {spread(details['naive_repaints_wall_s'])} s",
        "geometry per level (raw / gzip): " + ", ".join(
            f"{name} {s['raw'] / 1e6:.2f}/{s['gzip'] / 1e6:.2f} MB" for name, s in details["geometry_bytes"].items()
            if "-GM" not in name) + ", " + gemeente_files(details["geometry_bytes"]),
        f"naive buurten: {details['naive_geometry_bytes']['raw'] / 1e6:.1f} MB raw, "
        f"{details['naive_geometry_bytes']['gzip'] / 1e6:.1f} MB gzip",
        "published files: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in details["published_file_bytes"].items()),
        f"public first view of {details['first_view_gemeente']} (phone-sized window), bytes per resource type: "
        + ", ".join(f"{kind} {size / 1e3:.1f} KB" for kind, size in sorted(view["by_type"].items(),
                                                                         key=lambda item: -item[1])),
        "  largest: " + ", ".join(f"{path} {size / 1e3:.1f} KB" for path, _, size in view["largest"][:5]),
        phone_against_floor(details),
        "callback load (clients): " + "; ".join(
            f"{k}{' pausing' if k == '64' else ''} {v['requests']:,} requests, p50 {v['p50_ms']} ms, p95 "
            f"{v['p95_ms']} ms, {v['requests_per_s']}/s" for k, v in details["load"].items()),
    ]
    site = details.get("behind_nginx")
    if site is None:
        return "\n".join(lines)
    lines.append(
        f"behind nginx: {site['files']['requests']:,} file and {site['callbacks']['requests']:,} callback requests "
        f"at {behind_nginx.CLIENTS} clients; while publishing ({site['publishing']['publishes']} publishes, "
        f"{site['publishing']['seconds']} s) {site['files_while_publishing']['requests']:,} + "
        f"{site['callbacks_while_publishing']['requests']:,}; server tracebacks {site['server_errors_logged']}, "
        f"nginx errors {site['nginx_errors_logged']}" + (f"; publish failed: {site['publishing']['error']}"
                                                         if site['publishing']['error'] else ""))
    return "\n".join(lines)

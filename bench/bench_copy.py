#!/usr/bin/env python3
"""Benchmark `hawser copy` and `hawser sync` against skopeo, registry to registry.

Two Debian docker-registry instances on 127.0.0.1 over plain HTTP: a source,
filled once with the test images (by skopeo, from OCI layouts written here),
and a destination started afresh, with empty storage, before every timed run.
Alternating run by run, times:
  copy-big    `hawser copy` vs `skopeo copy docker://… docker://…` of 8 × 64 MiB
  copy-small  the same for 200 × 32 KiB layers
  sync        `hawser sync LIST --to DST/PREFIX` vs `skopeo sync --src yaml` of 20
              images, 10 of them already at the destination (copied there, untimed,
              before each run)
Reports the median wall time of each, the ratio skopeo/hawser, the peak RSS of
each (GNU time), and a floor: curl fetching the same blobs from the source with
8 parallel keep-alive transfers to /dev/null (what any copy must at least read).

Only 127.0.0.1 is contacted. Usage:
    bench/bench_copy.py            # full run
    bench/bench_copy.py --smoke    # tiny images, one run each (used by the test suite)
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Layout, MiB, ROOT, TIME, free_port, human, process_cpu_seconds, run_measured  # noqa: E402


class Registry:
    """docker-registry on a free loopback port with its own storage; `fresh()` restarts it empty."""

    def __init__(self, work, name):
        self.work, self.name, self.proc, self.host = work, name, None, None
        self.generation = 0

    def start(self):
        self.generation += 1
        port = free_port()
        storage = os.path.join(self.work, f"{self.name}-storage-{self.generation}")
        config = os.path.join(self.work, f"{self.name}-{self.generation}.yml")
        with open(config, "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {storage}\nhttp:\n  addr: 127.0.0.1:{port}\n")
        self.proc = subprocess.Popen(["docker-registry", "serve", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.host = f"127.0.0.1:{port}"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"docker-registry ({self.name}) did not start")

    def stop(self):
        if self.proc:
            self.proc.kill()  # SIGTERM waits for keep-alive connections to drain
            self.proc.wait()
            self.proc = None
            shutil.rmtree(os.path.join(self.work, f"{self.name}-storage-{self.generation}"), ignore_errors=True)

    def fresh(self):
        self.stop()
        self.start()


def layer_urls(layout, host, repository, name):
    """The blob URLs of image `name` of the layout, as served from `host/repository`."""
    with open(os.path.join(layout.path, "index.json")) as f:
        top = next(m for m in json.load(f)["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == name)
    with open(os.path.join(layout.path, "blobs", "sha256", top["digest"].split(":")[1])) as f:
        manifest = json.load(f)
    return [f"http://{host}/v2/{repository}/blobs/{d['digest']}" for d in [manifest["config"]] + manifest["layers"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny images, one run each")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hawser", default=None, help="path to the hawser binary (default: .build/release/hawser, else debug)")
    parser.add_argument("--json", default=None, help="write the results here as JSON")
    parser.add_argument("--cases", default=None, help="comma-separated subset of copy-big,copy-small,sync (default: all)")
    parser.add_argument("--hawser-arg", action="append", default=[], help="extra argument for hawser copy/sync (repeatable)")
    parser.add_argument("--baseline", default=None, help="a second hawser binary, timed in the same alternating runs (before/after)")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    def stop(signum, frame):
        raise SystemExit(f"bench_copy.py: stopped by signal {signum}")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    load_at_start = os.getloadavg()
    hawser = args.hawser or next((p for p in [os.path.join(ROOT, ".build/release/hawser"), os.path.join(ROOT, ".build/debug/hawser")] if os.path.exists(p)), None)
    for tool, path in [("hawser", hawser), ("docker-registry", shutil.which("docker-registry")), ("skopeo", shutil.which("skopeo")),
                       ("curl", shutil.which("curl"))]:
        if not path:
            raise SystemExit(f"missing {tool}: install it first (apt-get install docker-registry skopeo curl)")

    work = tempfile.mkdtemp(prefix="hawser-bench-copy-")
    source, destination = Registry(work, "source"), Registry(work, "destination")
    try:
        source.start()
        destination.start()
        if args.smoke:
            copies = [("copy-big", [256 * 1024] * 2), ("copy-small", [32 * 1024] * 5)]
            sync_images, sync_layers = 4, [32 * 1024] * 2
        else:
            copies = [("copy-big", [64 * MiB] * 8), ("copy-small", [32 * 1024] * 200)]
            sync_images, sync_layers = 20, [256 * 1024] * 4
        wanted = set(args.cases.split(",")) if args.cases else {"copy-big", "copy-small", "sync"}
        copies = [c for c in copies if c[0] in wanted]
        layout = Layout(os.path.join(work, "layout"))
        print(f"generating test images in {work} ...", flush=True)
        sizes = {}
        for name, layers in copies:
            layout.tag(layout.image(layers), name)
            sizes[name] = sum(layers)
        sync_names = [f"s{i:02d}" for i in range(sync_images)] if "sync" in wanted else []
        for name in sync_names:
            layout.tag(layout.image(sync_layers), name)
        if sync_names:
            sizes["sync"] = sum(sync_layers) * len(sync_names)
        # Sync images are one path component deep (SRC/sNN): skopeo sync keeps only the last
        # component under its destination, hawser sync --to the whole path; so both write DST/mirror/sNN.
        for name in [c[0] for c in copies] + sync_names:
            repository = name if name in sync_names else f"bench/{name}"
            subprocess.run(["skopeo", "copy", "--quiet", "--dest-tls-verify=false", f"oci:{layout.path}:{name}",
                            f"docker://{source.host}/{repository}:v1"], check=True, timeout=900)
        image_list = os.path.join(work, "images.txt")
        with open(image_list, "w") as f:
            f.write("".join(f"{source.host}/{name}:v1\n" for name in sync_names))
        skopeo_yaml = os.path.join(work, "sync.yaml")
        with open(skopeo_yaml, "w") as f:
            f.write(f'"{source.host}":\n  tls-verify: false\n  images:\n' + "".join(f'    {name}: ["v1"]\n' for name in sync_names))

        def registries_yaml():
            path = os.path.join(work, f"registries-{destination.generation}.yaml")
            with open(path, "w") as f:
                f.write("mirrors:\n" + "".join(f'  "{h}":\n    endpoint:\n      - "http://{h}"\n' for h in (source.host, destination.host)))
            return path

        def commands(case):
            config = registries_yaml()
            if case == "sync":
                target = f"{destination.host}/mirror"
                found = {"hawser": [hawser, "sync", image_list, "--to", target, "--config", config, "--quiet"] + args.hawser_arg,
                         "skopeo": ["skopeo", "sync", "--src", "yaml", "--dest", "docker", "--dest-tls-verify=false", skopeo_yaml, target]}
                if args.baseline:
                    found["baseline"] = [args.baseline] + found["hawser"][1:]
                return found
            src, dst = f"{source.host}/bench/{case}:v1", f"{destination.host}/bench/{case}:v1"
            found = {"hawser": [hawser, "copy", src, dst, "--config", config, "--quiet"] + args.hawser_arg,
                     "skopeo": ["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", f"docker://{src}", f"docker://{dst}"]}
            if args.baseline:
                found["baseline"] = [args.baseline] + found["hawser"][1:]
            return found

        def prepare(case):
            destination.fresh()
            if case == "sync":
                # Half of the list is already at the destination, under the names both tools write.
                for name in sync_names[: len(sync_names) // 2]:
                    subprocess.run(["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                                    f"docker://{source.host}/{name}:v1", f"docker://{destination.host}/mirror/{name}:v1"],
                                   check=True, timeout=900)

        def verify(case):
            names = sync_names if case == "sync" else [case]
            for name in names:
                repository = f"mirror/{name}" if case == "sync" else f"bench/{name}"
                subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{destination.host}/{repository}:v1"],
                               check=True, capture_output=True, timeout=60)

        def floor(case):
            urls = os.path.join(work, f"urls-{case}.curl")
            names = sync_names if case == "sync" else [case]
            with open(urls, "w") as f:
                for name in names:
                    for url in layer_urls(layout, source.host, name if case == "sync" else f"bench/{name}", name):
                        f.write(f'url = "{url}"\noutput = "/dev/null"\n')
            return run_measured(["curl", "-s", "-f", "-Z", "--parallel-max", "8", "-K", urls])[0]

        def measure_upload_floors(case):
            """Two floors at the destination, each with an emptied one: the upload floor, curl PUTting
            the same blobs from the layout's files (8 parallel monolithic uploads: what the destination
            registry needs to take the bytes in); and the relay floor, the same uploads while the
            download floor runs at once (the work both registries do in any copy, with no tool between
            them). Nil for sync."""
            if case == "sync":
                return None, None
            figures = []
            for with_download in (False, True):
                destination.fresh()
                config = os.path.join(work, f"uploads-{case}.curl")
                with open(config, "w") as f:
                    for url in layer_urls(layout, source.host, f"bench/{case}", case):
                        digest = url.rsplit("/", 1)[1]
                        started = subprocess.run(["curl", "-s", "-f", "-X", "POST", "-D", "-", "-o", "/dev/null",
                                                  f"http://{destination.host}/v2/bench/floor/blobs/uploads/"],
                                                 check=True, capture_output=True, text=True, timeout=60).stdout
                        location = next(line.split(":", 1)[1].strip() for line in started.splitlines() if line.lower().startswith("location:"))
                        if location.startswith("/"):
                            location = f"http://{destination.host}{location}"
                        path = os.path.join(layout.path, "blobs", "sha256", digest.split(":")[1])
                        f.write(f'url = "{location}&digest={digest}"\nupload-file = "{path}"\noutput = "/dev/null"\n')
                upload = ["curl", "-s", "-f", "-Z", "--parallel-max", "8", "-H", "Content-Type: application/octet-stream", "-K", config]
                if not with_download:
                    figures.append(run_measured(upload)[0])
                    continue
                start = time.perf_counter()
                download = subprocess.Popen(["curl", "-s", "-f", "-Z", "--parallel-max", "8", "-K", os.path.join(work, f"urls-{case}.curl")],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                subprocess.run(upload, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
                download.wait(timeout=600)
                figures.append(time.perf_counter() - start)
            return figures[0], figures[1]

        tools = ["hawser", "skopeo"] + (["baseline"] if args.baseline else [])
        results = []
        for case in [c[0] for c in copies] + (["sync"] if sync_names else []):
            timings = {tool: [] for tool in tools}
            registry_cpu = {tool: [] for tool in tools}
            floors, upload_floors, relay_floors = [], [], []
            if not args.smoke:
                for tool in tools:  # warm-up (untimed): the source's files in the page cache for both
                    prepare(case)
                    run_measured(commands(case)[tool])
            for run in range(runs):
                for tool in (tools if run % 2 == 0 else tools[::-1]):
                    prepare(case)
                    before = process_cpu_seconds(source.proc.pid) + process_cpu_seconds(destination.proc.pid)
                    timings[tool].append(run_measured(commands(case)[tool]))
                    registry_cpu[tool].append(process_cpu_seconds(source.proc.pid) + process_cpu_seconds(destination.proc.pid) - before)
                    if run == 0:
                        verify(case)
                floors.append(floor(case))
                if not args.smoke:
                    upload, relay = measure_upload_floors(case)
                    upload_floors.append(upload)
                    relay_floors.append(relay)
            row = {"case": case, "bytes": sizes[case], "runs": runs}
            for tool, values in timings.items():
                row[f"{tool}_seconds"] = statistics.median(v[0] for v in values)
                row[f"{tool}_seconds_all"] = [round(v[0], 4) for v in values]
                row[f"{tool}_rss_kib"] = max(v[1] for v in values)
                row[f"{tool}_registry_cpu_seconds"] = statistics.median(registry_cpu[tool])
            row["floor_seconds"] = statistics.median(floors)
            uploads = [v for v in upload_floors if v is not None]
            relays = [v for v in relay_floors if v is not None]
            row["upload_floor_seconds"] = statistics.median(uploads) if uploads else None
            row["relay_floor_seconds"] = statistics.median(relays) if relays else None
            if relays:
                # The most any tool could reach against skopeo here: copying at the relay floor.
                row["best_possible_ratio"] = row["skopeo_seconds"] / row["relay_floor_seconds"]
            if args.baseline:
                row["baseline_ratio"] = row["baseline_seconds"] / row["hawser_seconds"]
            row["speed_ratio"] = row["skopeo_seconds"] / row["hawser_seconds"]
            results.append(row)
            print(f"  {case}: " + "  ".join(f"{tool} {row[tool + '_seconds_all']}" for tool in tools)
                  + f"  floor {[round(v, 4) for v in floors]}" + (f"  upload floor {[round(v, 4) for v in uploads]}" if uploads else "")
                  + (f"  relay floor {[round(v, 4) for v in relays]}" if relays else ""), flush=True)
            if relays:
                print(f"  {case}: relay floor {row['relay_floor_seconds']:.3f} s: the most any tool could reach here is "
                      f"{row['best_possible_ratio']:.2f}x skopeo (hawser {row['skopeo_seconds'] / row['hawser_seconds']:.2f}x)", flush=True)
            print(f"  {case}: CPU of both registries per run (median): "
                  + ", ".join(f"{tool} {row[tool + '_registry_cpu_seconds']:.2f} s" for tool in tools)
                  + (f"; baseline/hawser {row['baseline_ratio']:.2f}x" if args.baseline else ""), flush=True)

        print()
        print(f"{'case':<11} {'size':>10} {'hawser':>9} {'skopeo':>9} {'skopeo/hawser':>14} {'floor':>8} {'hawser/floor':>13} {'RSS hawser':>11} {'RSS skopeo':>11}")
        for r in results:
            print(f"{r['case']:<11} {human(r['bytes']):>10} {r['hawser_seconds']:>8.3f}s {r['skopeo_seconds']:>8.3f}s {r['speed_ratio']:>13.2f}x "
                  f"{r['floor_seconds']:>7.3f}s {r['hawser_seconds'] / r['floor_seconds']:>12.2f}x "
                  f"{r['hawser_rss_kib'] / 1024:>9.1f}Mi {r['skopeo_rss_kib'] / 1024:>9.1f}Mi")
        print(f"(medians of {runs} alternating runs, the destination emptied before each; floor: curl GET of the same blobs from the source, "
              f"8 parallel, to /dev/null; load average before {load_at_start[0]:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
              f"RSS {'by GNU time' if TIME else 'by os.wait4, an upper bound'})")
        row = {r["case"]: r for r in results}
        targets = [(f"{c} ≥ 1.5× skopeo", row[c]["speed_ratio"] >= 1.5) for c in ("copy-big", "copy-small") if c in row]
        if "sync" in row:
            targets.append(("sync ≥ 2× skopeo", row["sync"]["speed_ratio"] >= 2))
        targets.append(("peak RSS ≤ 64 MiB", all(r["hawser_rss_kib"] <= 64 * 1024 for r in results)))
        print("targets: " + ", ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in targets))
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"runs": runs, "smoke": args.smoke, "loadavg_start": load_at_start[0], "cpus": os.cpu_count(), "results": results,
                           "targets": {name: ok for name, ok in targets}}, f, indent=2)
    finally:
        source.stop()
        destination.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

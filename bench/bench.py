#!/usr/bin/env python3
"""Benchmark `hawser pull` against `skopeo copy` on one loopback registry.

Starts Debian's docker-registry on 127.0.0.1 over plain HTTP, generates and
pushes the test images (with skopeo, from OCI layouts this script writes), then
times, alternating run by run, `hawser pull` and `skopeo copy docker://... oci:...`
into an empty directory, plus a re-pull of an image already present. Reports,
per case: median wall time, throughput, peak RSS of each, and the ratio
skopeo/hawser. Also measures the machine's own limits: SHA-256 throughput
(openssl speed) and a raw loopback transfer of one blob (curl to /dev/null).

Only 127.0.0.1 is contacted. Usage:
    bench/bench.py            # full run (several minutes)
    bench/bench.py --smoke    # tiny images, one run each (used by the test suite)
"""
import argparse, gzip, hashlib, json, os, re, shutil, signal, socket, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MiB = 1 << 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_throughput():
    """MiB/s of SHA-256 on this machine: `openssl speed -evp sha256` (16 KiB blocks),
    else hashlib (the same OpenSSL code) over 256 MiB."""
    def unblock_alarm():
        # openssl speed times itself with SIGALRM; a parent (a test runner) may block it.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGALRM])
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    try:
        speed = subprocess.run(["openssl", "speed", "-seconds", "1", "-evp", "sha256"], capture_output=True, text=True,
                               timeout=60, preexec_fn=unblock_alarm).stdout
        match = re.search(r"^sha256\s+.*\s([\d.]+)k\s*$", speed, re.M)
        if match:
            return float(match.group(1)) * 1000 / MiB
    except subprocess.TimeoutExpired:
        pass
    block = os.urandom(MiB)
    h = hashlib.sha256()
    start = time.perf_counter()
    for _ in range(256):
        h.update(block)
    return 256 / (time.perf_counter() - start)


class Layout:
    """A minimal OCI image layout written by hand (blobs are random bytes)."""

    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(path, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        self.manifests = []

    def blob_bytes(self, data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.path, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    def random_blob(self, size, media_type="application/vnd.oci.image.layer.v1.tar+gzip"):
        """A layer of `size` random bytes wrapped in a stored (level 0) gzip stream:
        valid gzip, so skopeo copies it as it is, and no CPU goes into compression."""
        tmp = os.path.join(self.path, "blobs", "sha256", "tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=0, mtime=0) as f:
            left = size
            while left > 0:
                chunk = os.urandom(min(left, 4 * MiB))
                f.write(chunk)
                left -= len(chunk)
        digest = sha256_file(tmp)
        stored = os.path.getsize(tmp)
        os.replace(tmp, os.path.join(self.path, "blobs", "sha256", digest))
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": stored}

    def image(self, layer_sizes, arch="amd64"):
        layers = [self.random_blob(size) for size in layer_sizes]
        config = {"architecture": arch, "os": "linux", "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}, "config": {}}
        config_desc = self.blob_bytes(json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config_desc, "layers": layers}
        desc = self.blob_bytes(json.dumps(manifest).encode(), "application/vnd.oci.image.manifest.v1+json")
        desc["platform"] = {"architecture": arch, "os": "linux"}
        return desc

    def tag(self, desc, name):
        entry = dict(desc)
        entry["annotations"] = {"org.opencontainers.image.ref.name": name}
        self.manifests.append(entry)
        with open(os.path.join(self.path, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": self.manifests}, f)

    def index(self, descs):
        body = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descs}
        return self.blob_bytes(json.dumps(body).encode(), "application/vnd.oci.image.index.v1+json")


TIME = shutil.which("time") if os.path.exists("/usr/bin/time") else None


def run_measured(argv, env=None):
    """Runs a command; returns (seconds, peak RSS in KiB).

    The peak RSS is the command's own: Linux carries the RSS a process had
    before exec(2) into its ru_maxrss, so a child forked straight from this
    (30+ MiB) Python process would report at least Python's size. GNU time, a
    small process, forks the command and reports its ru_maxrss; without it,
    os.wait4's figure is used (an upper bound)."""
    rss_file = None
    if TIME:
        fd, rss_file = tempfile.mkstemp(prefix="hawser-bench-rss-")
        os.close(fd)
        argv = [TIME, "-q", "-f", "%M", "-o", rss_file] + argv
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    if rss_file:
        with open(rss_file) as f:
            text = f.read().strip().splitlines()
        os.unlink(rss_file)
        if text and text[-1].isdigit():
            rss = int(text[-1])
    if code != 0:
        raise SystemExit(f"command failed ({code}): {' '.join(argv)}\n{stderr}")
    return elapsed, rss


def process_cpu_seconds(pid):
    """User + system CPU time a running process has used so far (from /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def blob_urls(layout_path, host, name, index_name):
    """Every URL a pull of `index_name` fetches: its manifest and all its blobs (first platform of an index)."""
    def load(digest):
        with open(os.path.join(layout_path, "blobs", "sha256", digest.split(":")[1])) as f:
            return json.load(f)
    with open(os.path.join(layout_path, "index.json")) as f:
        top = next(m for m in json.load(f)["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == index_name)
    manifest, urls = load(top["digest"]), [f"http://{host}/v2/bench/{name}/manifests/{top['digest']}"]
    if "manifests" in manifest:
        child = manifest["manifests"][0]["digest"]
        urls.append(f"http://{host}/v2/bench/{name}/manifests/{child}")
        manifest = load(child)
    return urls + [f"http://{host}/v2/bench/{name}/blobs/{d['digest']}" for d in [manifest["config"]] + manifest["layers"]]


def human(n):
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / 1024:.0f} KiB"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny images, one run each")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hawser", default=None, help="path to the hawser binary (default: .build/release/hawser, else debug)")
    parser.add_argument("--json", default=None, help="write the results here as JSON")
    parser.add_argument("--cases", default=None, help="comma-separated subset of big,small,medium,multi (default: all)")
    parser.add_argument("--hawser-arg", action="append", default=[], help="extra argument for `hawser pull` (repeatable)")
    parser.add_argument("--baseline", default=None, help="a second hawser binary (e.g. an older build) timed in the same runs, for before/after")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up run of each tool per case")
    parser.add_argument("--floor-parallel", type=int, default=8, help="parallel transfers of the curl floor (default 8, hawser's default --concurrency)")
    parser.add_argument("--serve", action="store_true", help="set up the registry and images, print the pull commands, and wait (for profiling by hand)")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    # A parent (a test runner) may have blocked or ignored signals: unblock the ones that
    # must end this script, and turn SIGTERM into an exit that still stops the registry.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    def stop(signum, frame):
        raise SystemExit(f"bench.py: stopped by signal {signum}")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    load_at_start = os.getloadavg()
    if not args.smoke and load_at_start[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {load_at_start[0]:.2f} on {os.cpu_count()} CPUs before the run: other processes "
              "compete for the CPU and the timings will be noisy", flush=True)

    hawser = args.hawser or next((p for p in [os.path.join(ROOT, ".build/release/hawser"), os.path.join(ROOT, ".build/debug/hawser")] if os.path.exists(p)), None)
    for tool, path in [("hawser (swift build -c release)", hawser), ("docker-registry", shutil.which("docker-registry")),
                       ("skopeo", shutil.which("skopeo")), ("curl", shutil.which("curl")), ("openssl", shutil.which("openssl"))]:
        if not path:
            raise SystemExit(f"missing {tool}: install it first (apt-get install docker-registry skopeo curl openssl)")

    work = tempfile.mkdtemp(prefix="hawser-bench-")
    port = free_port()
    registry = None
    try:
        config = os.path.join(work, "registry.yml")
        with open(config, "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {work}/storage\nhttp:\n  addr: 127.0.0.1:{port}\n")
        registry = subprocess.Popen(["docker-registry", "serve", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        host = f"127.0.0.1:{port}"
        registries = os.path.join(work, "registries.yaml")
        with open(registries, "w") as f:
            f.write(f'mirrors:\n  "{host}":\n    endpoint:\n      - "http://{host}"\n')

        if args.smoke:
            cases = [("big", [256 * 1024] * 2), ("small", [32 * 1024] * 5), ("medium", [256 * 1024] * 3)]
        else:
            cases = [("big", [64 * MiB] * 8), ("small", [32 * 1024] * 200), ("medium", [256 * 1024] * 256)]
        wanted = set(args.cases.split(",")) if args.cases else None
        if wanted:
            cases = [c for c in cases if c[0] in wanted]
        layout = Layout(os.path.join(work, "source"))
        print(f"generating test images in {work} ...", flush=True)
        sizes = {}
        for name, layers in cases:
            desc = layout.image(layers)
            layout.tag(desc, name)
            with open(os.path.join(layout.path, "blobs", "sha256", desc["digest"].split(":")[1])) as f:
                sizes[name] = sum(l["size"] for l in json.load(f)["layers"])
        if not wanted or "multi" in wanted:
            amd = layout.image([64 * 1024] * 2, "amd64")
            arm = layout.image([64 * 1024] * 2, "arm64")
            layout.tag(layout.index([amd, arm]), "multi")
            sizes["multi"] = 2 * 64 * 1024
        for name in list(sizes):
            subprocess.run(["skopeo", "copy", "--quiet", "--all", "--dest-tls-verify=false", f"oci:{layout.path}:{name}",
                            f"docker://{host}/bench/{name}:v1"], check=True, timeout=900)

        if args.serve:
            print(f"registry on {host}; registries.yaml: {registries}")
            for name in sizes:
                print(f"  {hawser} pull {host}/bench/{name}:v1 --config {registries} --output /tmp/out-{name} --quiet")
            print("waiting; stop with Ctrl-C", flush=True)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
            return

        def commands(name, out):
            image = f"{host}/bench/{name}:v1"
            h = [hawser, "pull", image, "--config", registries, "--output", out, "--quiet"] + args.hawser_arg
            b = [args.baseline, "pull", image, "--config", registries, "--output", out, "--quiet"] if args.baseline else None
            k = ["skopeo", "copy", "--quiet", "--src-tls-verify=false", f"docker://{image}", f"oci:{out}:{name}"]
            if name == "multi":
                h += ["--platform", "linux/amd64"]
                b = b + ["--platform", "linux/amd64"] if b else None
                k = k[:2] + ["--override-arch", "amd64", "--override-os", "linux"] + k[2:]
            # The floor: what any client must wait for. curl fetches the same manifest and
            # blobs with --floor-parallel keep-alive transfers to /dev/null: no hashing, no disk.
            urls = os.path.join(work, f"urls-{name}.curl")
            with open(urls, "w") as f:
                for url in blob_urls(layout.path, host, name, name):
                    f.write(f'url = "{url}"\noutput = "/dev/null"\n')
            accept = ("Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
                      "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json")
            floor = ["curl", "-s", "-f", "-H", accept, "-Z", "--parallel-max", str(args.floor_parallel), "-K", urls]
            return {"hawser": h, "skopeo": k, "baseline": b, "floor": floor}

        tools = ["hawser", "skopeo"] + (["baseline"] if args.baseline else [])

        results = []
        for name in sizes:
            timings = {tool: [] for tool in tools}
            repulls = {tool: [] for tool in tools}
            registry_cpu = {tool: [] for tool in tools + ["floor"]}
            floors = []

            def measured(tool, argv):
                # Wall time and peak RSS of the tool, and the CPU the registry spent serving it.
                before = process_cpu_seconds(registry.pid)
                result = run_measured(argv)
                after = process_cpu_seconds(registry.pid)
                if before is not None and after is not None:
                    registry_cpu[tool].append(after - before)
                return result

            # Warm-up (untimed): the registry's files are in the page cache for both tools alike.
            if not args.smoke and not args.no_warmup:
                for tool in tools:
                    out = os.path.join(work, f"warm-{tool}-{name}")
                    run_measured(commands(name, out)[tool])
                    shutil.rmtree(out, ignore_errors=True)
            for run in range(runs):
                # Alternating order; each tool pulls into an empty directory, then
                # pulls the same image again into that layout (the re-pull).
                for tool in (tools if run % 2 == 0 else tools[::-1]):
                    out = os.path.join(work, f"out-{tool}-{name}-{run}")
                    argv = commands(name, out)[tool]
                    timings[tool].append(measured(tool, argv))
                    repulls[tool].append(run_measured(argv))
                    shutil.rmtree(out, ignore_errors=True)
                floors.append(measured("floor", commands(name, None)["floor"])[0])
            row = {"case": name, "bytes": sizes[name], "runs": runs}
            for tool, values in timings.items():
                row[f"{tool}_seconds"] = statistics.median(v[0] for v in values)
                row[f"{tool}_seconds_all"] = [round(v[0], 4) for v in values]
                row[f"{tool}_rss_kib"] = max(v[1] for v in values + repulls[tool])
                row[f"{tool}_repull_seconds"] = statistics.median(v[0] for v in repulls[tool])
            for tool, values in registry_cpu.items():
                if values:
                    row[f"{tool}_registry_cpu_seconds"] = statistics.median(values)
            row["floor_seconds"] = statistics.median(floors)
            row["floor_seconds_all"] = [round(v, 4) for v in floors]
            row["speed_ratio"] = row["skopeo_seconds"] / row["hawser_seconds"]
            row["repull_seconds"] = row["hawser_repull_seconds"]
            row["repull_fraction"] = row["repull_seconds"] / row["hawser_seconds"]
            results.append(row)
            if args.baseline:
                row["baseline_speedup"] = row["baseline_seconds"] / row["hawser_seconds"]
                print(f"  {name}: baseline {row['baseline_seconds_all']} re-pull {row['baseline_repull_seconds']:.3f}s RSS {row['baseline_rss_kib'] / 1024:.1f}Mi", flush=True)
            print(f"  {name}: hawser {row['hawser_seconds_all']}  skopeo {row['skopeo_seconds_all']}  floor {row['floor_seconds_all']}  "
                  f"re-pull hawser {row['hawser_repull_seconds']:.3f}s skopeo {row['skopeo_repull_seconds']:.3f}s", flush=True)

        # The machine's own limits for this work.
        sha_mib = sha256_throughput()
        big = ([m for m in layout.manifests if m["annotations"]["org.opencontainers.image.ref.name"] == "big"] or layout.manifests)[0]
        with open(os.path.join(layout.path, "blobs", "sha256", big["digest"].split(":")[1])) as f:
            first_layer = json.load(f)["layers"][0]
        big_name = big["annotations"]["org.opencontainers.image.ref.name"]
        speeds = []
        for _ in range(3):
            curl = subprocess.run(["curl", "-s", "-L", "-o", "/dev/null", "-w", "%{http_code} %{speed_download}",
                                   f"http://{host}/v2/bench/{big_name}/blobs/{first_layer['digest']}"], capture_output=True, text=True).stdout.split()
            if len(curl) == 2 and curl[0] == "200":
                speeds.append(float(curl[1]) / MiB)
        loopback_mib = max(speeds) if speeds else None
        if loopback_mib is None:
            print(f"warning: raw transfer with curl failed: {curl}")

        print()
        print(f"{'case':<8} {'size':>10} {'hawser':>9} {'skopeo':>9} {'skopeo/hawser':>14} {'hawser MiB/s':>13} {'RSS hawser':>11} {'RSS skopeo':>11} "
              f"{'re-pull':>8} {'(% 1st)':>8} {'skopeo re-pull':>15}")
        for r in results:
            print(f"{r['case']:<8} {human(r['bytes']):>10} {r['hawser_seconds']:>8.3f}s {r['skopeo_seconds']:>8.3f}s {r['speed_ratio']:>13.2f}x "
                  f"{r['bytes'] / MiB / r['hawser_seconds']:>13.1f} {r['hawser_rss_kib'] / 1024:>9.1f}Mi {r['skopeo_rss_kib'] / 1024:>9.1f}Mi "
                  f"{r['repull_seconds']:>7.3f}s {100 * r['repull_fraction']:>7.1f}% {r['skopeo_repull_seconds']:>14.3f}s")
        print()
        print(f"the floor (curl, {args.floor_parallel} parallel keep-alive transfers of the same manifest and blobs to /dev/null) "
              "and the registry's CPU per pull:")
        print(f"{'case':<8} {'floor':>9} {'hawser/floor':>13} {'skopeo/floor':>13} {'skopeo/(2×floor)':>17} "
              f"{'reg CPU hawser':>15} {'reg CPU skopeo':>15} {'reg CPU floor':>14}")
        for r in results:
            cpu = lambda tool: f"{r[tool + '_registry_cpu_seconds']:.2f}s" if tool + "_registry_cpu_seconds" in r else "?"
            print(f"{r['case']:<8} {r['floor_seconds']:>8.3f}s {r['hawser_seconds'] / r['floor_seconds']:>12.2f}x "
                  f"{r['skopeo_seconds'] / r['floor_seconds']:>12.2f}x {r['skopeo_seconds'] / (2 * r['floor_seconds']):>16.2f}x "
                  f"{cpu('hawser'):>15} {cpu('skopeo'):>15} {cpu('floor'):>14}")
        print("(skopeo/(2×floor) < 1: even curl with that parallelism, doing no hashing and no writing, is not twice as fast "
              "as skopeo; the registry's per-request cost sets the pace)")
        if args.baseline:
            print()
            print(f"before/after (--baseline {args.baseline}):")
            print(f"{'case':<8} {'before':>9} {'after':>9} {'speedup':>8} {'RSS before':>11} {'RSS after':>10} {'re-pull before':>15} {'after':>8}")
            for r in results:
                print(f"{r['case']:<8} {r['baseline_seconds']:>8.3f}s {r['hawser_seconds']:>8.3f}s {r['baseline_speedup']:>7.2f}x "
                      f"{r['baseline_rss_kib'] / 1024:>9.1f}Mi {r['hawser_rss_kib'] / 1024:>8.1f}Mi {r['baseline_repull_seconds']:>14.3f}s {r['repull_seconds']:>7.3f}s")
        print(f"(medians of {runs} alternating runs; RSS is the maximum over all runs and re-pulls, {'measured by GNU time' if TIME else 'os.wait4, an upper bound'}; "
              f"load average before the run {load_at_start[0]:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
        print()
        if sha_mib:
            print(f"machine: SHA-256 {sha_mib:.0f} MiB/s (openssl speed -evp sha256, 16 KiB blocks)")
        if loopback_mib:
            print(f"machine: raw loopback transfer of one {human(first_layer['size'])} blob {loopback_mib:.0f} MiB/s (curl to /dev/null, best of 3)")
        row = {r["case"]: r for r in results}
        if "big" in row:
            hawser_mib = row["big"]["bytes"] / MiB / row["big"]["hawser_seconds"]
            print(f"hawser on the big image: {hawser_mib:.0f} MiB/s" +
                  (f" = {100 * hawser_mib / loopback_mib:.0f}% of raw loopback" if loopback_mib else "") +
                  (f", {100 * hawser_mib / sha_mib:.0f}% of SHA-256 throughput" if sha_mib else ""))
        targets = [(f"{c} ≥ 2× skopeo", row[c]["speed_ratio"] >= 2) for c in ("big", "small", "medium") if c in row]
        # A re-pull costs a process start and one manifest round trip whatever the image; the
        # target is stated against the first pull of the big image, where a pull's time is the transfer.
        if "big" in row:
            targets.append(("re-pull of the big image ≤ 5% of its first pull", row["big"]["repull_fraction"] <= 0.05))
        targets.append(("peak RSS ≤ 48 MiB", all(r["hawser_rss_kib"] <= 48 * 1024 for r in results)))
        print("targets: " + ", ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in targets))
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"runs": runs, "smoke": args.smoke, "loadavg_start": load_at_start[0], "cpus": os.cpu_count(), "results": results, "sha256_mib_s": sha_mib, "loopback_mib_s": loopback_mib,
                           "targets": {name: ok for name, ok in targets}}, f, indent=2)
    finally:
        if registry:
            registry.kill()  # SIGTERM waits for keep-alive connections to drain
            registry.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

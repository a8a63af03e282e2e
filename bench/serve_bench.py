#!/usr/bin/env python3
"""Benchmark `hawser serve` (issue 14) against docker-registry serving the same image directly.

Everything runs on 127.0.0.1: one Debian docker-registry (the upstream, access log
on), `hawser serve` in front of it, and the same client (`hawser pull`, or curl
for the floor) pulling from each. Scenarios:

  warm     alternating runs: the client pulls the image from docker-registry
           directly, then from `hawser serve` with the image already in its store
           (and the other order on the next run); median wall time of each and the
           ratio registry/serve (> 1: the mirror is faster). Also the curl floor
           against each server (8 parallel keep-alive transfers to /dev/null).
  cold     the first byte of a missing 64 MiB blob: a relay between the mirror and
           the upstream (in this script, one clock) notes when upstream's first
           body byte passes; a client notes when the mirror's first body byte
           arrives. The difference is what the mirror adds.
  flight   16 `hawser pull` clients start at once on an image the mirror has never
           seen; upstream's access log must show exactly one GET per blob.
  memory   the mirror's peak RSS (VmHWM) after 16 clients.

Usage:
    bench/serve_bench.py                # full run (512 MiB and 200 x 32 KiB images, 5 runs)
    bench/serve_bench.py --smoke        # tiny images, one run each
"""
import argparse, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (Layout, run_measured, free_port, human)

MiB = 1 << 20


def wait_port(port, process=None, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"process exited early ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        match = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M)
    return int(match.group(1)) if match else None


class Relay:
    """A TCP relay 127.0.0.1:port -> upstream that notes (on this process's clock) when
    the first body byte of the answer to a GET of `watch` passes from upstream."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.watch = None
        self.first_body = {}
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            state = {"watching": None}
            threading.Thread(target=self.pump_requests, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self.pump_answers, args=(upstream, client, state), daemon=True).start()

    def pump_requests(self, source, target, state):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                watch = self.watch
                if watch and b"GET /v2/" in data and watch.encode() in data:
                    state["watching"] = watch
                    state["buffer"] = b""
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def pump_answers(self, source, target, state):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                watching = state.get("watching")
                if watching:
                    state["buffer"] += data
                    end = state["buffer"].find(b"\r\n\r\n")
                    if end >= 0 and len(state["buffer"]) > end + 4:
                        with self.lock:
                            self.first_body.setdefault(watching, time.monotonic())
                        state["watching"] = None
                target.sendall(data)
        except OSError:
            pass

    def close(self):
        self.server.close()


def first_body_byte(port, path):
    """GET path from 127.0.0.1:port; returns the monotonic time of the first body byte, and reads the rest."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    buffer, first = b"", None
    while True:
        data = s.recv(1 << 20)
        if not data:
            break
        if first is None:
            buffer += data
            end = buffer.find(b"\r\n\r\n")
            if end >= 0 and len(buffer) > end + 4:
                first = time.monotonic()
                head = buffer[:end].decode(errors="replace")
                if " 200 " not in head.split("\r\n")[0]:
                    raise SystemExit(f"GET {path}: {head.splitlines()[0]}")
                buffer = b""
    s.close()
    return first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hawser", default=None)
    parser.add_argument("--json", default=None)
    parser.add_argument("--scenarios", default="warm,cold,flight", help="comma-separated subset of warm, cold, flight")
    parser.add_argument("--flight-repeat", type=int, default=1, help="run the 16-client scenario this many times (a fresh store each)")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    hawser = args.hawser or next((p for p in [os.path.join(bench.ROOT, ".build/release/hawser"), os.path.join(bench.ROOT, ".build/debug/hawser")]
                                  if os.path.exists(p)), None)
    if not hawser or not shutil.which("docker-registry") or not shutil.which("skopeo") or not shutil.which("curl"):
        raise SystemExit("needs a built hawser, docker-registry, skopeo and curl")
    print(f"hawser: {hawser}", flush=True)

    work = tempfile.mkdtemp(prefix="hawser-serve-bench-")
    processes = []
    results = {"runs": runs, "hawser": hawser}
    try:
        port = bench.free_port()
        config = os.path.join(work, "registry.yml")
        access_log = os.path.join(work, "registry.log")
        with open(config, "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {work}/storage\nhttp:\n  addr: 127.0.0.1:{port}\n")
        registry = subprocess.Popen(["docker-registry", "serve", config], stdout=open(access_log, "w"), stderr=subprocess.STDOUT)
        processes.append(registry)
        wait_port(port, registry)
        host = f"127.0.0.1:{port}"

        if args.smoke:
            cases = [("big", [256 * 1024] * 2), ("small", [32 * 1024] * 5)]
            cold_layers, flight_layers = [2 * MiB], [256 * 1024] * 3
        else:
            cases = [("big", [64 * MiB] * 8), ("small", [32 * 1024] * 200)]
            cold_layers, flight_layers = [64 * MiB] * 3, [8 * MiB] * 8
        layout = bench.Layout(os.path.join(work, "source"))
        print(f"generating and pushing test images in {work} ...", flush=True)
        images = {}
        for name, layers in cases + [("cold", cold_layers), ("flight", flight_layers)]:
            desc = layout.image(layers)
            layout.tag(desc, name)
            with open(os.path.join(layout.path, "blobs", "sha256", desc["digest"].split(":")[1])) as f:
                images[name] = json.load(f)
            subprocess.run(["skopeo", "copy", "--quiet", "--dest-tls-verify=false", f"oci:{layout.path}:{name}", f"docker://{host}/bench/{name}:v1"],
                           check=True, timeout=900)

        def serve(store, upstream_port, log):
            mirror_port = bench.free_port()
            mirror_yaml = os.path.join(work, f"mirror-{mirror_port}.yaml")
            with open(mirror_yaml, "w") as f:
                f.write(f'mirrors:\n  "{host}":\n    endpoint:\n      - "http://127.0.0.1:{upstream_port}"\n')
            process = subprocess.Popen([hawser, "serve", "--store", store, "--listen", f"127.0.0.1:{mirror_port}", "--config", mirror_yaml,
                                        "--disable-default-endpoint", "--log-level", "warning"], stdout=open(log, "w"), stderr=subprocess.STDOUT)
            processes.append(process)
            wait_port(mirror_port, process)
            return process, mirror_port

        def node_yaml(endpoint_port, name):
            path = os.path.join(work, f"node-{name}.yaml")
            with open(path, "w") as f:
                f.write(f'mirrors:\n  "{host}":\n    endpoint:\n      - "http://127.0.0.1:{endpoint_port}"\n')
            return path

        scenarios = set(args.scenarios.split(","))
        # --- warm: same client, registry directly vs the mirror with the image stored
        mirror, mirror_port = serve(os.path.join(work, "store-warm"), port, os.path.join(work, "serve-warm.log"))
        direct_yaml, mirror_yaml = node_yaml(port, "direct"), node_yaml(mirror_port, "mirror")
        warm = {}
        for name, _ in (cases if "warm" in scenarios else []):
            image = f"{host}/bench/{name}:v1"
            argv = {"registry": lambda out: [hawser, "pull", image, "--config", direct_yaml, "--disable-default-endpoint", "--output", out, "--quiet"],
                    "serve": lambda out: [hawser, "pull", image, "--config", mirror_yaml, "--disable-default-endpoint", "--output", out, "--quiet"]}
            manifest = images[name]
            paths = [f"/v2/bench/{name}/blobs/{d['digest']}" for d in [manifest["config"]] + manifest["layers"]]
            floors = {"registry": [], "serve": []}
            for server in ("registry", "serve"):  # untimed warm-up: fills the store and the page cache
                out = os.path.join(work, f"warmup-{server}-{name}")
                bench.run_measured(argv[server](out))
                shutil.rmtree(out, ignore_errors=True)
            times = {"registry": [], "serve": []}
            for run in range(runs):
                for server in (("registry", "serve") if run % 2 == 0 else ("serve", "registry")):
                    out = os.path.join(work, f"out-{server}-{name}-{run}")
                    seconds, _ = bench.run_measured(argv[server](out))
                    times[server].append(seconds)
                    shutil.rmtree(out, ignore_errors=True)
                    server_port = port if server == "registry" else mirror_port
                    query = "" if server == "registry" else f"?ns={host}"
                    urls = os.path.join(work, f"urls-{server}-{name}.curl")
                    with open(urls, "w") as f:
                        for path in paths:
                            f.write(f'url = "http://127.0.0.1:{server_port}{path}{query}"\noutput = "/dev/null"\n')
                    start = time.perf_counter()
                    subprocess.run(["curl", "-s", "-f", "-Z", "--parallel-max", "8", "-K", urls], check=True, timeout=600, stderr=subprocess.DEVNULL)
                    floors[server].append(time.perf_counter() - start)
            median = {s: statistics.median(t) for s, t in times.items()}
            floor = {s: statistics.median(t) for s, t in floors.items()}
            size = sum(l["size"] for l in manifest["layers"])
            warm[name] = {"bytes": size, "seconds": times, "median": median, "ratio": median["registry"] / median["serve"],
                          "floor_seconds": floors, "floor_median": floor, "floor_ratio": floor["registry"] / floor["serve"]}
            print(f"warm {name} ({len(manifest['layers'])} layers, {bench.human(size)}): hawser pull from docker-registry "
                  f"{median['registry']:.3f} s, from hawser serve {median['serve']:.3f} s, ratio {warm[name]['ratio']:.2f}x; "
                  f"curl floor {floor['registry']:.3f} s vs {floor['serve']:.3f} s ({warm[name]['floor_ratio']:.2f}x)", flush=True)
        results["warm"] = warm
        results["warm_peak_rss_kib"] = peak_rss_kib(mirror.pid) if warm else None

        # --- cold first byte, through a relay on this script's clock
        relay = Relay(port)
        cold_mirror, cold_port = serve(os.path.join(work, "store-cold"), relay.port, os.path.join(work, "serve-cold.log"))
        gaps = []
        for layer in (images["cold"]["layers"] if "cold" in scenarios else []):
            relay.watch = layer["digest"]
            client_first = first_body_byte(cold_port, f"/v2/bench/cold/blobs/{layer['digest']}?ns={host}")
            upstream_first = relay.first_body.get(layer["digest"])
            gaps.append((client_first - upstream_first) * 1000)
        relay.close()
        results["cold_first_byte_gap_ms"] = gaps
        print(f"cold: client's first body byte after upstream's, per 64 MiB blob: {', '.join(f'{g:.2f} ms' for g in gaps)}", flush=True)

        # --- single flight and memory: 16 clients at once on a never-seen image
        results["flight"] = []
        for attempt in range(args.flight_repeat if "flight" in scenarios else 0):
            flight_mirror, flight_port = serve(os.path.join(work, f"store-flight-{attempt}"), port, os.path.join(work, f"serve-flight-{attempt}.log"))
            flight_yaml = node_yaml(flight_port, f"flight-{attempt}")
            log_size = os.path.getsize(access_log)
            clients = [subprocess.Popen([hawser, "pull", f"{host}/bench/flight:v1", "--config", flight_yaml, "--disable-default-endpoint",
                                         "--output", os.path.join(work, f"flight-{attempt}-{i}"), "--quiet"], stderr=subprocess.PIPE) for i in range(16)]
            failures = [c for c in clients if c.wait(timeout=600) != 0]
            if failures:
                raise SystemExit(f"{len(failures)} of 16 pulls failed: {failures[0].stderr.read().decode(errors='replace')}")
            with open(access_log) as f:
                f.seek(log_size)
                log = f.read()
            manifest = images["flight"]
            counts = {d["digest"]: len(re.findall(rf'"GET /v2/bench/flight/blobs/{d["digest"]}[ ?]', log)) for d in [manifest["config"]] + manifest["layers"]}
            rss = peak_rss_kib(flight_mirror.pid)
            results["flight"].append({"upstream_gets_per_blob": counts, "peak_rss_kib": rss})
            flight_mirror.terminate()
            flight_mirror.wait(timeout=20)
            for i in range(16):
                shutil.rmtree(os.path.join(work, f"flight-{attempt}-{i}"), ignore_errors=True)
            shutil.rmtree(os.path.join(work, f"store-flight-{attempt}"), ignore_errors=True)
            print(f"single flight: 16 clients, {len(counts)} blobs, upstream GETs per blob: {sorted(set(counts.values()))} "
                  f"(expected [1]); mirror peak RSS {rss / 1024:.1f} MiB", flush=True)
        if results.get("warm_peak_rss_kib"):
            print(f"warm mirror peak RSS {results['warm_peak_rss_kib'] / 1024:.1f} MiB", flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Where docker-registry spends its CPU: symbolizes a `perf record -g` of the registry.

Debian's docker-registry is a stripped Go binary, so perf shows bare addresses.
Go keeps its own symbol table (pclntab) in the binary; `go tool addr2line` reads it.

    bench/bench.py --serve --cases small &        # a registry with the bench images
    perf record -g -o reg.perf -p "$(pgrep -f 'docker-registry serve')" -- sleep 5 &
    # ... pull from it a few times (bench.py --serve prints the commands) ...
    bench/registry_profile.py reg.perf            # needs perf and go (apt-get install golang-go)

Prints the functions with the most samples at the leaf (self) and anywhere on the
stack (inclusive). Inclusive figures are from frame-pointer stacks, so approximate.
"""
import collections, re, shutil, subprocess, sys

REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"
LOAD_ADDRESS = 0x400000  # Go binaries are not position-independent: perf prints offsets from here


def samples(perf_data):
    """One list of frames (leaf first) per sample: ("go", address) or ("kernel"/"other", name)."""
    text = subprocess.run(["perf", "script", "-i", perf_data, "-F", "comm,ip,sym,dso"],
                          capture_output=True, text=True, check=True).stdout
    current = None
    for line in text.splitlines():
        if not line.strip():
            if current:
                yield current
            current = None
        elif not line.startswith((" ", "\t")):
            current = []
        elif current is not None:
            address, _, rest = line.strip().partition(" ")
            if "docker-registry" in rest:
                # Callers' frames hold return addresses: step back into the call instruction.
                current.append(("go", int(address, 16) + LOAD_ADDRESS - (1 if current else 0)))
            elif "kernel" in rest:
                current.append(("kernel", re.sub(r"\+0x\w+|\s*\(.*", "", rest).strip()))
            else:
                current.append(("other", rest.strip()))
    if current:
        yield current


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if not shutil.which("go"):
        raise SystemExit("needs `go tool addr2line`: apt-get install golang-go")
    all_samples = [s for s in samples(sys.argv[1]) if s]
    addresses = sorted({value for sample in all_samples for kind, value in sample if kind == "go"})
    lines = subprocess.run(["go", "tool", "addr2line", REGISTRY], input="".join(f"0x{a:x}\n" for a in addresses),
                           capture_output=True, text=True, check=True).stdout.splitlines()
    names = {address: lines[2 * i] for i, address in enumerate(addresses)}  # name, then file:line

    def name(kind, value):
        return names.get(value, "?") if kind == "go" else f"[{kind}] {value}"

    leaf, anywhere = collections.Counter(), collections.Counter()
    for sample in all_samples:
        leaf[name(*sample[0])] += 1
        for function in {name(*frame) for frame in sample}:
            anywhere[function] += 1
    total = len(all_samples)
    print(f"{total} samples of {REGISTRY}")
    print("self (leaf):")
    for function, count in leaf.most_common(20):
        print(f"  {100 * count / total:5.1f}%  {function}")
    print("inclusive (Go functions):")
    for function, count in [(f, c) for f, c in anywhere.most_common() if not f.startswith("[")][:40]:
        print(f"  {100 * count / total:5.1f}%  {function}")


if __name__ == "__main__":
    main()

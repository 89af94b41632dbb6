#!/usr/bin/python3
"""PyTorch CPU timing of every EG3D (ffhq512-128) modulated-conv shape, for the side-by-side kernel bench.

Times EG3D's fused modulated_conv2d as PyTorch runs it: modulate + demodulate the weights per sample, then one grouped
conv2d (plain layers) or, for the x2 up layers, conv_transpose2d (stride 2) followed by the [1,3,3,1] FIR as a
depthwise conv2d (upfirdn2d's reference path, which is what runs on the CPU). Forward, and backward with respect to x,
the raw weight and the styles. Best of --runs, torch threads = --threads (2 matches the engine bench machine).

Usage: /usr/bin/python3 tools/modconv/torch_modconv_bench.py --batches 1,4 --runs 3 --json /tmp/torch_modconv.json
The C# side: dotnet bench/bin/Release/net10.0/My3DGen.Bench.dll modconv --torch /tmp/torch_modconv.json
"""
import argparse, json, time
import torch
import torch.nn.functional as F

# (name, in channels, out channels, output resolution, up): the backbone's conv0/conv1 and the SR blocks' layers.
SHAPES = [("b4.conv1", 512, 512, 4, 1)]
for res, cin, cout in [(8, 512, 512), (16, 512, 512), (32, 512, 512), (64, 512, 512), (128, 512, 256), (256, 256, 128)]:
    SHAPES += [(f"b{res}.conv0", cin, cout, res, 2), (f"b{res}.conv1", cout, cout, res, 1)]
SHAPES += [("sr256.conv0", 32, 256, 256, 2), ("sr256.conv1", 256, 256, 256, 1),
           ("sr512.conv0", 256, 128, 512, 2), ("sr512.conv1", 128, 128, 512, 1)]

FIR = torch.tensor([1.0, 3.0, 3.0, 1.0])
FIR = (FIR[:, None] * FIR[None, :]) / 64 * 4  # normalised 2-D filter times the up gain


def modconv(x, weight, styles, up):
    n, cin, h, w = x.shape
    cout = weight.shape[0]
    wn = weight[None] * styles[:, None, :, None, None]                       # [N, O, I, 3, 3]
    wn = wn * (wn.square().sum(dim=[2, 3, 4], keepdim=True) + 1e-8).rsqrt()
    xg = x.reshape(1, n * cin, h, w)
    if up == 1:
        y = F.conv2d(xg, wn.reshape(n * cout, cin, 3, 3), padding=1, groups=n)
        return y.reshape(n, cout, h, w)
    wt = wn.transpose(1, 2).reshape(n * cin, cout, 3, 3)
    t = F.conv_transpose2d(xg, wt, stride=2, groups=n)                         # [1, N*O, 2h+1, 2w+1]
    f = FIR.to(x.dtype)[None, None].expand(n * cout, 1, 4, 4)
    y = F.conv2d(F.pad(t, [1, 1, 1, 1]), f, groups=n * cout)                  # [1, N*O, 2h, 2w]
    return y.reshape(n, cout, 2 * h, 2 * w)


CLOCK = time.perf_counter


def best_of(fn, runs):
    fn()  # warm-up
    best = float("inf")
    for _ in range(runs):
        t0 = CLOCK()
        fn()
        best = min(best, CLOCK() - t0)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="1,4")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default="")
    ap.add_argument("--json", default="")
    ap.add_argument("--cpu-time", action="store_true", help="process CPU time instead of wall time (shared machines)")
    a = ap.parse_args()
    global CLOCK
    if a.cpu_time:
        CLOCK = time.process_time
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rows = []
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {'process CPU' if a.cpu_time else 'wall'} time")
    for batch in [int(b) for b in a.batches.split(",")]:
        for name, cin, cout, res, up in SHAPES:
            if a.filter and a.filter not in name:
                continue
            h = res // up
            x = torch.randn(batch, cin, h, h)
            weight = torch.randn(cout, cin, 3, 3)
            styles = torch.randn(batch, cin)
            with torch.no_grad():
                fwd = best_of(lambda: modconv(x, weight, styles, up), a.runs)
            xr, wr, sr = x.clone().requires_grad_(), weight.clone().requires_grad_(), styles.clone().requires_grad_()
            gy = torch.randn(batch, cout, res, res)

            def step():
                y = modconv(xr, wr, sr, up)
                torch.autograd.grad(y, [xr, wr, sr], gy)
            fb = best_of(step, a.runs)
            row = dict(name=name, batch=batch, cin=cin, cout=cout, res=res, up=up, fwd_ms=fwd, bwd_ms=max(fb - fwd, 0.0), fwd_bwd_ms=fb)
            rows.append(row)
            print(f"{name:12s} n{batch} {cin:3d}->{cout:3d} @{res:3d} up{up}: fwd {fwd:9.2f} ms, fwd+bwd {fb:9.2f} ms", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), rows=rows), f, indent=1)


if __name__ == "__main__":
    main()

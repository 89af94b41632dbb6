#!/usr/bin/python3
"""PyTorch CPU timing of the whole full-size (ffhq512-128) EG3D forward and of one My3DGen personalization step, for the
side-by-side with the engine's `bench -- generator` and `bench -- training` rows (same config, same machine, same threads).

The networks are the official code's (My3DGen's eg3d/ tree, which carries NVlabs' EG3D plus LoraNet and the SR wrapper),
built from the released ffhq512-128 init_kwargs (spec eg3d.md §0.1) with random weights; content does not matter for time.
  * forward: G.synthesis(ws, c, noise_mode='const') in eval mode without gradients, deterministic sampling (the fixtures'
    rule, patched as tools/my3dgen_snapshot/make_fixtures.py does), ms per 512² image at each batch;
  * personalization step: My3DGen's wrapping (LoraNet r=1 on the backbone, the SR wrapper), LoRA factors + the tri-plane
    decoder trainable, jittered sampling as in training, loss MSE + LPIPS-alex (random AlexNet/lin weights) on the 512² image
    and on the raw image against the 128² antialiased target, backward, Adam; ms per step at each batch.
Wall time and process CPU time are printed (best of --runs after one warm-up); --json writes them for the record.

Usage (Debian's python3-torch; the official tree is imported from a scratch checkout, never copied into this repo):
  /usr/bin/python3 tools/torch_side_by_side/eg3d_cpu_bench.py --official /path/to/my3dgen/eg3d --threads 2 --batches 1,4 --runs 3
The official My3DGen tree lacks dnnlib/ (git-ignored upstream): copy NVlabs/eg3d's eg3d/dnnlib into it first.
Engine side, same machine: dotnet run -c Release --project bench -- generator --batches 1,4 ; ... -- training --batches 1,4
"""
import argparse, copy, json, os, sys, time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "my3dgen_snapshot"))
from make_fixtures import TINY_INIT_KWARGS, camera_label, deterministic_rendering, import_official  # noqa: E402

# The released ffhq512-128 init_kwargs (spec §0.1): the tiny fixture configuration with the full sizes.
FFHQ512_128 = copy.deepcopy(TINY_INIT_KWARGS)
FFHQ512_128.update(channel_base=32768, channel_max=512, img_resolution=512,
                   sr_kwargs={"channel_base": 32768, "channel_max": 512, "fused_modconv_default": "inference_only"})
FFHQ512_128["rendering_kwargs"].update(image_resolution=512, superresolution_module="training.superresolution.SuperresolutionHybrid8XDC",
                                       depth_resolution=48, depth_resolution_importance=48)

# LPIPS-alex (v0.1): torchvision AlexNet `features` taps after each ReLU, unit-normalised, 1×1 "lin" weights, spatial mean.
ALEX = [(3, 64, 11, 4, 2, True), (64, 192, 5, 1, 2, True), (192, 384, 3, 1, 1, False), (384, 256, 3, 1, 1, False), (256, 256, 3, 1, 1, False)]
SHIFT = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1)
SCALE = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)


class LpipsAlex(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = torch.nn.ModuleList(torch.nn.Conv2d(i, o, k, s, p) for i, o, k, s, p, _ in ALEX)
        self.lins = torch.nn.ModuleList(torch.nn.Conv2d(o, 1, 1, bias=False) for _, o, *_ in ALEX)
        self.requires_grad_(False)

    def taps(self, x):
        h, out = (x - SHIFT) / SCALE, []
        for conv, (*_, pool) in zip(self.convs, ALEX):
            h = F.relu(conv(h))
            out.append(h)
            if pool:
                h = F.max_pool2d(h, 3, 2)
        return out

    def forward(self, a, b):
        d = 0
        for lin, fa, fb in zip(self.lins, self.taps(a), self.taps(b)):
            na = fa / (fa.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
            nb = fb / (fb.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
            d = d + lin((na - nb) ** 2).mean([2, 3])
        return d.reshape(-1)


def best_of(runs, body):
    """(best wall ms, least process CPU ms) over `runs` calls after one warm-up."""
    wall, cpu = [], []
    for i in range(runs + 1):
        w0, c0 = time.perf_counter(), time.process_time()
        body()
        if i > 0:
            wall.append((time.perf_counter() - w0) * 1e3); cpu.append((time.process_time() - c0) * 1e3)
    return min(wall), min(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--official", required=True, help="My3DGen's eg3d/ folder (with NVlabs' dnnlib/ added)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,4")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    _, TriPlaneGenerator, _, LoraNet, SRWrapper, ImportanceRenderer, camera_utils = import_official(args.official)
    rk = FFHQ512_128["rendering_kwargs"]
    torch.manual_seed(0)
    G = TriPlaneGenerator(**copy.deepcopy(FFHQ512_128)).requires_grad_(False)
    G.neural_rendering_resolution = 128   # as the released G_ema (spec §0.1)
    lpips = LpipsAlex()
    cams = [(0.3 * (i - 1), 0.0) for i in range(8)]
    results = {"threads": args.threads, "torch": torch.__version__, "forward": {}, "training": {}}
    print(f"PyTorch {torch.__version__}, {args.threads} threads; ffhq512-128, random weights")
    print("| workload | batch | wall ms | wall ms per image | process CPU ms |")
    print("|---|---:|---:|---:|---:|")

    # ---- forward (eval, no grad, deterministic sampling) ----
    original = (ImportanceRenderer.sample_stratified, ImportanceRenderer.sample_pdf)
    deterministic_rendering(ImportanceRenderer)
    G.eval()
    for n in map(int, args.batches.split(",")):
        c = torch.cat([camera_label(camera_utils, y, p, rk["avg_camera_pivot"], rk["avg_camera_radius"]) for y, p in cams[:n]])
        with torch.no_grad():
            ws = G.mapping(torch.randn(n, 512, generator=torch.Generator().manual_seed(n)), c, truncation_psi=0.7, truncation_cutoff=14)
            wall, cpu = best_of(args.runs, lambda: G.synthesis(ws, c, noise_mode="const"))
        results["forward"][n] = {"wall_ms": wall, "cpu_ms": cpu}
        print(f"| forward 512² | {n} | {wall:.0f} | {wall / n:.0f} | {cpu:.0f} |")
    ImportanceRenderer.sample_stratified, ImportanceRenderer.sample_pdf = original

    # ---- personalization step (My3DGen: LoRA r=1 + decoder, MSE + LPIPS-alex at 512² and raw, Adam, jittered sampling) ----
    G.train()
    G.backbone.synthesis = LoraNet(G.backbone.synthesis, r=1, lora_alpha=1)
    G.superresolution = SRWrapper(G.superresolution, r=1, lora_alpha=1)
    trainable = [p for name, p in G.named_parameters() if "lora_" in name or name.startswith("decoder.")]
    for p in trainable:
        p.requires_grad_(True)
    opt = torch.optim.Adam(trainable, lr=1e-3)
    print(f"trainable tensors: {len(trainable)} ({sum(p.numel() for p in trainable):,} values)")
    for n in map(int, args.batches.split(",")):
        c = torch.cat([camera_label(camera_utils, y, p, rk["avg_camera_pivot"], rk["avg_camera_radius"]) for y, p in cams[:n]])
        with torch.no_grad():
            ws = G.mapping(torch.randn(n, 512, generator=torch.Generator().manual_seed(10 + n)), c, truncation_psi=0.7, truncation_cutoff=14)
        target = torch.rand(n, 3, 512, 512, generator=torch.Generator().manual_seed(n)) * 2 - 1
        target_raw = F.interpolate(target, size=(128, 128), mode="bilinear", align_corners=False, antialias=True)

        def step():
            out = G.synthesis(ws, c, noise_mode="const")
            loss = (F.mse_loss(out["image"], target) + F.mse_loss(out["image_raw"], target_raw)
                    + lpips(out["image"], target).mean() + lpips(out["image_raw"], target_raw).mean())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        wall, cpu = best_of(args.runs, step)
        results["training"][n] = {"wall_ms": wall, "cpu_ms": cpu}
        print(f"| personalization step | {n} | {wall:.0f} | {wall / n:.0f} | {cpu:.0f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()

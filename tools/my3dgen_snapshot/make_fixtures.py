#!/usr/bin/python3
"""Builds My3DGen LoRA snapshots of a tiny EG3D configuration with the official My3DGen code and renders references.

For each LoRA setting (rank 1 / alpha 1 and rank 4 / alpha 16) this script
  1. builds a tiny TriPlaneGenerator with the official code (random init, seed 0, plus a fake "trained" state:
     biases and noise strengths moved, the decoder's sigma made partly opaque, as the EG3D tiny fixture does),
  2. wraps G and G_ema exactly as My3DGen's training_loop does (LoraNet on backbone.synthesis,
     SuperresolutionHybrid8XDCWrapper on superresolution) and fills every lora_A AND lora_B with random,
     non-zero values (a stand-in for trained factors),
  3. pickles a snapshot exactly as the training loop's "Save network snapshot" does
     (dict training_set_kwargs / G / D / G_ema / augment_pipe; each module deep-copied, eval, requires_grad False, cpu),
  4. renders G_ema.synthesis(ws, c, noise_mode='const') for a few latents and cameras in the fixtures' deterministic
     rendering mode (no stratified jitter, det=True importance sampling) and writes the inputs and outputs.

Usage (Debian's python3-torch; the official code is imported from a scratch checkout, never copied into this repo):
  /usr/bin/python3 tools/my3dgen_snapshot/make_fixtures.py --official /path/to/my3dgen/eg3d --out tests/fixtures/my3dgen
The official My3DGen tree lacks dnnlib/ (git-ignored upstream): copy NVlabs/eg3d's eg3d/dnnlib into it first.

Only this script changes how things run, never the official code's logic:
  * the renderer's two random draws are replaced by the deterministic rule of tests/fixtures/eg3d/README.md §4
    (methods of ImportanceRenderer patched at run time, after the snapshot is written);
  * each persistent class's pickled module source is replaced by a one-line placeholder (the classes' own
    `_orig_module_src` attribute), so no upstream source text lands in the fixtures.
"""
import argparse, contextlib, copy, hashlib, json, math, os, pickle, sys

import brotli

import numpy as np
import torch

TINY_INIT_KWARGS = {
    "z_dim": 512, "w_dim": 512, "mapping_kwargs": {"num_layers": 2},
    "channel_base": 4096, "channel_max": 32, "fused_modconv_default": "inference_only",
    "rendering_kwargs": {
        "image_resolution": 128, "disparity_space_sampling": False, "clamp_mode": "softplus",
        "superresolution_module": "training.superresolution.SuperresolutionHybrid2X",
        "c_gen_conditioning_zero": False, "gpc_reg_prob": 0.5, "c_scale": 1.0,
        "superresolution_noise_mode": "none", "density_reg": 0.25, "density_reg_p_dist": 0.004,
        "reg_type": "l1", "decoder_lr_mul": 1.0, "sr_antialias": True,
        "depth_resolution": 12, "depth_resolution_importance": 12,
        "ray_start": 2.25, "ray_end": 3.3, "box_warp": 1,
        "avg_camera_radius": 2.7, "avg_camera_pivot": [0, 0, 0.2]},
    "num_fp16_res": 0, "sr_num_fp16_res": 4,
    "sr_kwargs": {"channel_base": 4096, "channel_max": 32, "fused_modconv_default": "inference_only"},
    "conv_clamp": None, "c_dim": 25, "img_resolution": 128, "img_channels": 3,
}
SETTINGS = [(1, 1, 0.08), (4, 16, 0.03)]  # (rank r, lora_alpha, std of the random lora_B values)
LATENT_SEEDS = [0, 1]                 # z = RandomState(seed).randn(1, 512); ws = G_ema.mapping(z, c_frontal)
CAMERAS = [(0.0, 0.0), (0.4, -0.2)]   # (yaw, pitch) in radians around the pivot, radius 2.7, fov 18.837


def import_official(path):
    sys.path.insert(0, os.path.abspath(path))
    import dnnlib  # noqa: F401
    from torch_utils import persistence
    from training.triplane import TriPlaneGenerator
    from training.dual_discriminator import DualDiscriminator
    from training.networks_stylegan2 import LoraNet
    from training.superresolution import SuperresolutionHybrid8XDCWrapper
    from training.volumetric_rendering.renderer import ImportanceRenderer
    import camera_utils
    return persistence, TriPlaneGenerator, DualDiscriminator, LoraNet, SuperresolutionHybrid8XDCWrapper, ImportanceRenderer, camera_utils


def fake_training_state(G):
    """Moves the values a fresh init leaves at 0 / 1, so the comparison exercises them (cf. eg3d tiny fixture §1.4)."""
    gen = torch.Generator().manual_seed(4321)
    with torch.no_grad():
        for name, p in G.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if leaf in ("bias", "noise_strength"):
                noise = torch.randn(p.shape, generator=gen) * 0.1
                owner = G.get_submodule(name.rsplit(".", 1)[0])
                p.add_(noise / float(getattr(owner, "bias_gain", 1.0)))
        G.decoder.net[2].weight[0, :] *= 3
        G.decoder.net[2].bias[0] += 4


def periodic_weights(module, period=251, min_numel=1024):
    """Makes every large tensor repeat a block of its own first `period` values (a prime, so the repetition lines up
    with no axis of any tensor). A snapshot holds each wrapped tensor many times over (persistence deep-copies every
    wrapper's constructor arguments), so an ordinary tiny snapshot is ~130 MB; with periodic tensors it gzips to a
    size fit for the repository. Scales and signs stay those of EG3D's initialisation."""
    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.numel() > min_numel:
                flat = t.reshape(-1)
                flat.copy_(flat[:period].repeat((t.numel() + period - 1) // period)[: t.numel()])


def randomize_lora(G, seed, b_std):
    """Makes both factors random and non-zero: lora_A keeps the wrappers' own random kaiming-uniform init (seeded), every
    lora_B (zero at init) gets N(0, b_std²) values. Returns the number of factor tensors."""
    gen = torch.Generator().manual_seed(seed)
    n = 0
    with torch.no_grad():
        for name, p in G.named_parameters():
            if name.endswith("lora_A"):
                assert p.abs().min() > 0; n += 1
            elif name.endswith("lora_B"):
                p.copy_(torch.randn(p.shape, generator=gen) * b_std); n += 1
    return n


def deterministic_rendering(ImportanceRenderer):
    def sample_stratified(self, ray_origins, ray_start, ray_end, depth_resolution, disparity_space_sampling=False):
        assert not disparity_space_sampling and not torch.is_tensor(ray_start)
        N, M, _ = ray_origins.shape
        return torch.linspace(ray_start, ray_end, depth_resolution, device=ray_origins.device).reshape(1, 1, depth_resolution, 1).repeat(N, M, 1, 1)
    original_pdf = ImportanceRenderer.sample_pdf
    def sample_pdf(self, bins, weights, N_importance, det=False, eps=1e-5):
        return original_pdf(self, bins, weights, N_importance, det=True, eps=eps)
    ImportanceRenderer.sample_stratified = sample_stratified
    ImportanceRenderer.sample_pdf = sample_pdf


def dataset_label_std(camera_utils, rk):
    """The label std of a small stand-in person dataset (four views around the front)."""
    labels = torch.cat([camera_label(camera_utils, yaw, pitch, rk["avg_camera_pivot"], rk["avg_camera_radius"])
                        for yaw, pitch in [(-0.3, -0.1), (-0.1, 0.1), (0.1, -0.05), (0.3, 0.1)]])
    return torch.from_numpy(np.std(labels.numpy(), axis=0))


def camera_label(camera_utils, yaw, pitch, pivot, radius):
    cam2world = camera_utils.LookAtPoseSampler.sample(math.pi / 2 + yaw, math.pi / 2 + pitch, torch.tensor(pivot), radius=radius)
    K = camera_utils.FOV_to_intrinsics(18.837)
    return torch.cat([cam2world.reshape(-1, 16), K.reshape(-1, 9)], 1).float()


def snapshot(G, D, G_ema, training_set_kwargs):
    """training_loop.py, "Save network snapshot" (single GPU)."""
    data = dict(training_set_kwargs=dict(training_set_kwargs))
    for name, module in [("G", G), ("D", D), ("G_ema", G_ema), ("augment_pipe", None)]:
        if module is not None:
            module = copy.deepcopy(module).eval().requires_grad_(False).cpu()
        data[name] = module
    return data


@contextlib.contextmanager
def placeholder_sources(persistence):
    """While pickling, every persistent class reports a one-line placeholder as its module source (see the docstring).
    Only around pickle.dump: deepcopy of a persistent object re-executes its source, so it must stay real elsewhere."""
    saved = {cls: cls._orig_module_src for cls in persistence._decorators}
    # Deep copies are instances of classes re-created from the source (module "_imported_module_<uuid>"): name the
    # module that defined the same source originally.
    module_of_src = {src: cls.__module__ for cls, src in saved.items() if not cls.__module__.startswith("_imported_module_")}
    try:
        for cls, src in saved.items():
            cls._orig_module_src = f"# module source omitted from this fixture ({module_of_src.get(src, 'unknown')})\n"
        yield
    finally:
        for cls, src in saved.items():
            cls._orig_module_src = src


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little")); f.write(h)
        for b in blobs: f.write(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--official", required=True, help="My3DGen's eg3d/ folder (with NVlabs' dnnlib/ added)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    persistence, TriPlaneGenerator, DualDiscriminator, LoraNet, SRWrapper, ImportanceRenderer, camera_utils = import_official(args.official)
    os.makedirs(args.out, exist_ok=True)
    rk = TINY_INIT_KWARGS["rendering_kwargs"]
    training_set_kwargs = {"class_name": "training.dataset.ImageFolderDataset", "path": "person", "use_labels": True,
                           "max_size": 4, "xflip": False, "resolution": 128, "random_seed": 0}
    summary = {}
    for r, alpha, b_std in SETTINGS:
        torch.manual_seed(0)
        G = TriPlaneGenerator(**copy.deepcopy(TINY_INIT_KWARGS)).train().requires_grad_(False)
        periodic_weights(G)
        fake_training_state(G)
        # The neural rendering resolution a run leaves in G (synthesis() stores the one it was called with): 32, as in
        # ../eg3d's tiny fixture. (At 64 = the 2X SR's input size, SynthesisBlockNoUp's in-place img.add_ would write
        # into the returned image_raw, a view of the feature image.)
        G.neural_rendering_resolution = 32
        # training_loop.py: G.register_buffer('dataset_label_std', training_set.get_label_std()) before D and G_ema.
        G.register_buffer("dataset_label_std", dataset_label_std(camera_utils, rk))
        D = DualDiscriminator(c_dim=25, img_resolution=128, img_channels=3, channel_base=4096, channel_max=32,
                              num_fp16_res=4, conv_clamp=256, mapping_kwargs={}, block_kwargs={"freeze_layers": 0},
                              epilogue_kwargs={"mbstd_group_size": 1}).train().requires_grad_(False)
        periodic_weights(D)
        G_ema = copy.deepcopy(G).eval()
        # training_loop.py, "lora training" (adalora False): the same wrapping for G and G_ema.
        # The same seed before both wrappings: G's and G_ema's lora_A inits are equal (the snapshot then compresses better).
        torch.manual_seed(1000 + r)
        G.backbone.synthesis = LoraNet(G.backbone.synthesis, r=r, lora_alpha=alpha)
        G.superresolution = SRWrapper(G.superresolution, r=r, lora_alpha=alpha)
        torch.manual_seed(1000 + r)
        G_ema.backbone.synthesis = LoraNet(G_ema.backbone.synthesis, r=r, lora_alpha=alpha)
        G_ema.superresolution = SRWrapper(G_ema.superresolution, r=r, lora_alpha=alpha)
        n = randomize_lora(G, seed=100 + r, b_std=b_std)
        G_ema.load_state_dict(G.state_dict())  # My3DGen keeps no EMA: G_ema equals G after every step
        tag = f"r{r}_alpha{alpha}"
        pkl = os.path.join(args.out, f"my3dgen-tiny-{tag}.pkl")
        data = snapshot(G, D, G_ema, training_set_kwargs)
        with placeholder_sources(persistence), open(pkl, "wb") as f:
            pickle.dump(data, f)
        pkl_bytes = os.path.getsize(pkl)
        with open(pkl, "rb") as f:
            raw = f.read()
        with open(pkl + ".br", "wb") as f:
            f.write(brotli.compress(raw, quality=11, lgwin=24))
        os.remove(pkl)
        summary[tag] = {"rank": r, "lora_alpha": alpha, "lora_tensors": n, "pkl_bytes": pkl_bytes,
                        "pkl_sha256": hashlib.sha256(raw).hexdigest(), "br_bytes": os.path.getsize(pkl + ".br")}
        summary[tag].update(render_references(data["G_ema"], camera_utils, ImportanceRenderer, rk,
                                              os.path.join(args.out, f"reference-{tag}.safetensors"), tag))
    print(json.dumps(summary, indent=1))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)


def render_references(G_ema, camera_utils, ImportanceRenderer, rk, path, tag):
    """Renders the pickled G_ema in the deterministic mode; also the same model with every lora_B zeroed (the base),
    to show how far the LoRA factors move the images."""
    deterministic_rendering(ImportanceRenderer)
    c_frontal = camera_label(camera_utils, 0.0, 0.0, rk["avg_camera_pivot"], rk["avg_camera_radius"])
    tensors, lora_effect = {}, 0.0
    base = copy.deepcopy(G_ema)
    with torch.no_grad():
        for name, p in base.named_parameters():
            if name.endswith("lora_B"):
                p.zero_()
    cases = [(LATENT_SEEDS[0], 1), (LATENT_SEEDS[1], 0)]
    with torch.no_grad():
        ws_all, c_all = [], []
        for seed, cam in cases:
            z = torch.from_numpy(np.random.RandomState(seed).randn(1, 512)).float()
            ws_all.append(G_ema.mapping(z, c_frontal, truncation_psi=0.7, truncation_cutoff=14))
            yaw, pitch = CAMERAS[cam]
            c_all.append(camera_label(camera_utils, yaw, pitch, rk["avg_camera_pivot"], rk["avg_camera_radius"]))
        ws, c = torch.cat(ws_all), torch.cat(c_all)
        out = G_ema.synthesis(ws, c, noise_mode="const")
        ref = base.synthesis(ws, c, noise_mode="const")
        lora_effect = float((out["image"] - ref["image"]).abs().max())
    tensors = {"ws": ws, "c": c, "image": out["image"], "image_raw": out["image_raw"], "image_depth": out["image_depth"]}
    write_safetensors(path, tensors, {
        "case": tag, "latent_seeds": ",".join(str(s) for s, _ in cases), "truncation_psi": "0.7",
        "cameras": json.dumps([CAMERAS[cam] for _, cam in cases]),
        "call": "G_ema.synthesis(ws, c, noise_mode='const'), deterministic sampling (tests/fixtures/eg3d/README.md §4)",
        "lora_effect_max_abs": repr(lora_effect)})
    return {"image_range": [float(out["image"].min()), float(out["image"].max())], "lora_effect_max_abs": lora_effect,
            "reference_bytes": os.path.getsize(path)}


if __name__ == "__main__":
    main()

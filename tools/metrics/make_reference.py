# Reference outputs for the metrics (tests/fixtures/metrics/metrics_reference.safetensors), computed by PyTorch /
# scikit-image with networks written here from the spec (shared/spec/algorithms.md §4.2, §5): ArcFace IR-SE50 with
# both preprocessing variants, DISTS (VGG16 + L2 pooling), formula (2) ID_sim, the Ojha diversity with LPIPS-VGG,
# PSNR and SSIM. Weights are hash-generated (same counter hash as src/My3DGen.Models/Perceptual/HashUniform.cs,
# tensor k of the state-dict order = stream seed*1000 + k) so the C# tests rebuild them instead of storing them.
# Also writes dists_weights_random.pt (the DISTS weights.pt layout, legacy torch.save) for the converter test and,
# with --full DIR, the full-size original-format files (model_ir_se50.pth, vgg16.pth, weights.pt) for an end-to-end
# `my3dgen convert` + `my3dgen metrics` check. Run: /usr/bin/python3 tools/metrics/make_reference.py [--full /tmp/m]
import json, os, struct, sys
import numpy as np
import torch
import torch.nn.functional as F
from skimage.metrics import structural_similarity

torch.set_grad_enabled(False)
torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures", "metrics")

def hash_uniform(seed, count, lo, hi):
    x = (np.arange(count, dtype=np.uint64) * 0x9E3779B9 + seed * 0x85EBCA6B + 0x27D4EB2F) & 0xFFFFFFFF
    x ^= x >> 16; x = (x * 0x85EBCA6B) & 0xFFFFFFFF
    x ^= x >> 13; x = (x * 0xC2B2AE35) & 0xFFFFFFFF
    x ^= x >> 16
    return torch.from_numpy((lo + (hi - lo) * (x.astype(np.float64) / 4294967296.0)).astype(np.float32))

class Draw:
    def __init__(self, seed): self.seed, self.k = seed, 0
    def __call__(self, shape, lo, hi):
        t = hash_uniform(self.seed * 1000 + self.k, int(np.prod(shape)), lo, hi).view(*shape); self.k += 1; return t

def he(shape): return (6.0 / int(np.prod(shape[1:]))) ** 0.5

# ---------------- ArcFace IR-SE50 (spec §5) ----------------
STAGES = [(64, 3), (128, 4), (256, 14), (512, 3)]
def units():
    out, cin = [], 64
    for d, n in STAGES:
        for u in range(n):
            out.append((len(out), cin if u == 0 else d, d, 2 if u == 0 else 1)); cin = d
    return out

def arcface_layout():
    t = []
    def bn(p, c): t.extend([(f"{p}.{n}", (c,)) for n in ("weight", "bias", "running_mean", "running_var")])
    t.append(("input_layer.0.weight", (64, 3, 3, 3))); bn("input_layer.1", 64); t.append(("input_layer.2.weight", (64,)))
    for i, cin, d, s in units():
        p = f"body.{i}"
        if cin != d: t.append((f"{p}.shortcut_layer.0.weight", (d, cin, 1, 1))); bn(f"{p}.shortcut_layer.1", d)
        bn(f"{p}.res_layer.0", cin)
        t.append((f"{p}.res_layer.1.weight", (d, cin, 3, 3))); t.append((f"{p}.res_layer.2.weight", (d,)))
        t.append((f"{p}.res_layer.3.weight", (d, d, 3, 3))); bn(f"{p}.res_layer.4", d)
        t.append((f"{p}.res_layer.5.fc1.weight", (d // 16, d, 1, 1))); t.append((f"{p}.res_layer.5.fc2.weight", (d, d // 16, 1, 1)))
    bn("output_layer.0", 512)
    t.append(("output_layer.3.weight", (512, 512 * 49))); t.append(("output_layer.3.bias", (512,)))
    bn("output_layer.4", 512)
    return t

def arcface_range(name, shape):
    if name.endswith(".running_var"): return 0.5, 1.5
    if name.endswith(".running_mean") or name.endswith(".bias"): return -0.1, 0.1
    if len(shape) >= 2: return -he(shape) / 2, he(shape) / 2
    if name.startswith("input_layer.2") or name.endswith("res_layer.2.weight"): return 0.0, 0.5
    return 0.5, 1.0

def arcface_weights(seed):
    d = Draw(seed)
    return {n: d(s, *arcface_range(n, s)) for n, s in arcface_layout()}

def arcface_forward(w, x):
    def bn(h, p): return F.batch_norm(h, w[p + ".running_mean"], w[p + ".running_var"], w[p + ".weight"], w[p + ".bias"], False, 0.0, 1e-5)
    h = F.prelu(bn(F.conv2d(x, w["input_layer.0.weight"], None, 1, 1), "input_layer.1"), w["input_layer.2.weight"])
    for i, cin, d, s in units():
        p = f"body.{i}."
        sc = F.max_pool2d(h, 1, s) if cin == d else bn(F.conv2d(h, w[p + "shortcut_layer.0.weight"], None, s), p + "shortcut_layer.1")
        r = bn(h, p + "res_layer.0")
        r = F.prelu(F.conv2d(r, w[p + "res_layer.1.weight"], None, 1, 1), w[p + "res_layer.2.weight"])
        r = bn(F.conv2d(r, w[p + "res_layer.3.weight"], None, s, 1), p + "res_layer.4")
        se = F.adaptive_avg_pool2d(r, 1)
        se = torch.sigmoid(F.conv2d(F.relu(F.conv2d(se, w[p + "res_layer.5.fc1.weight"])), w[p + "res_layer.5.fc2.weight"]))
        h = r * se + sc
    h = bn(h, "output_layer.0").flatten(1)
    h = F.linear(h, w["output_layer.3.weight"], w["output_layer.3.bias"])
    h = bn(h, "output_layer.4")
    return h / torch.norm(h, 2, 1, True)

def arcface_preprocess(x, mode):  # x in [-1,1]
    if mode == "my3dgen": return F.adaptive_avg_pool2d(x.clamp(-1, 1), (112, 112))
    if x.shape[2] != 256: x = F.adaptive_avg_pool2d(x, (256, 256))
    return F.adaptive_avg_pool2d(x[:, :, 35:223, 32:220], (112, 112))

# ---------------- torchvision feature stacks, LPIPS, DISTS (spec §4) ----------------
VGG = [(0, 3, 64), (2, 64, 64), "p", (5, 64, 128), (7, 128, 128), "p", (10, 128, 256), (12, 256, 256), (14, 256, 256), "p",
       (17, 256, 512), (19, 512, 512), (21, 512, 512), "p", (24, 512, 512), (26, 512, 512), (28, 512, 512)]
VGG_TAPS = {2, 7, 14, 21, 28}

def vgg_weights(draw):
    w = {}
    for s in VGG:
        if s == "p": continue
        i, cin, cout = s
        w[f"features.{i}.weight"] = draw((cout, cin, 3, 3), -he((cout, cin, 3, 3)), he((cout, cin, 3, 3)))
        w[f"features.{i}.bias"] = draw((cout,), -0.05, 0.05)
    return w

def vgg_taps(w, h, pool):
    taps = []
    for s in VGG:
        if s == "p": h = pool(h); continue
        i = s[0]
        h = F.relu(F.conv2d(h, w[f"features.{i}.weight"], w[f"features.{i}.bias"], 1, 1))
        if i in VGG_TAPS: taps.append(h)
    return taps

def lpips_vgg_weights(seed):
    d = Draw(seed); w = vgg_weights(d)
    for k, c in enumerate([64, 128, 256, 512, 512]): w[f"lin{k}.model.1.weight"] = d((1, c, 1, 1), 0.0, 0.1)
    return w

SHIFT = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1); SCALE = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)
def lpips_feats(w, x):
    return [f / (torch.sqrt((f ** 2).sum(1, keepdim=True)) + 1e-10) for f in vgg_taps(w, (x - SHIFT) / SCALE, lambda h: F.max_pool2d(h, 2, 2))]
def lpips_from_feats(w, fa, fb):
    return sum(F.conv2d((a - b) ** 2, w[f"lin{k}.model.1.weight"]).mean([2, 3])[:, 0] for k, (a, b) in enumerate(zip(fa, fb)))

def dists_weights(seed):
    d = Draw(seed); w = vgg_weights(d)
    w["alpha"] = d((1, 1475, 1, 1), 0.1, 1.0); w["beta"] = d((1, 1475, 1, 1), 0.1, 1.0)
    return w

def l2pool(h):
    a = torch.tensor(np.hanning(5)[1:-1], dtype=torch.float32); g = a[:, None] * a[None, :]; g = g / g.sum()
    c = h.shape[1]
    return (F.conv2d(h ** 2, g[None, None].repeat(c, 1, 1, 1), stride=2, padding=1, groups=c) + 1e-12).sqrt()

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1); STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
def dists(w, x, y):  # the reference DISTS_pt forward, x/y in [0,1]
    chns = [3, 64, 128, 256, 512, 512]
    f0 = [x] + vgg_taps(w, (x - MEAN) / STD, l2pool); f1 = [y] + vgg_taps(w, (y - MEAN) / STD, l2pool)
    ws = w["alpha"].sum() + w["beta"].sum()
    alpha = torch.split(w["alpha"] / ws, chns, dim=1); beta = torch.split(w["beta"] / ws, chns, dim=1)
    d1 = d2 = 0
    for k in range(len(chns)):
        xm = f0[k].mean([2, 3], keepdim=True); ym = f1[k].mean([2, 3], keepdim=True)
        s1 = (2 * xm * ym + 1e-6) / (xm ** 2 + ym ** 2 + 1e-6)
        d1 = d1 + (alpha[k] * s1).sum(1, keepdim=True)
        xv = ((f0[k] - xm) ** 2).mean([2, 3], keepdim=True); yv = ((f1[k] - ym) ** 2).mean([2, 3], keepdim=True)
        cov = (f0[k] * f1[k]).mean([2, 3], keepdim=True) - xm * ym
        s2 = (2 * cov + 1e-6) / (xv + yv + 1e-6)
        d2 = d2 + (beta[k] * s2).sum(1, keepdim=True)
    return 1 - (d1 + d2).view(-1)

# ---------------- images ----------------
rs = np.random.RandomState(11)
def image(h, w):  # smooth random colour field + fine noise, uint8 HWC
    low = torch.from_numpy(rs.rand(1, 3, 6, 6).astype(np.float32))
    up = F.interpolate(low, size=(h, w), mode="bilinear", align_corners=False)[0].permute(1, 2, 0).numpy()
    return np.clip(np.round(255 * (0.85 * up + 0.15 * rs.rand(h, w, 3))), 0, 255).astype(np.uint8)
def t01(imgs): return torch.from_numpy(np.stack(imgs).astype(np.float32)).permute(0, 3, 1, 2) / 255.0
def tpm(imgs): return torch.from_numpy(np.stack(imgs).astype(np.float32)).permute(0, 3, 1, 2) * (2.0 / 255.0) - 1.0

out, imgs = {}, {}
def put_img(name, a): imgs[name] = a; out[f"image.{name}"] = torch.from_numpy(a)  # uint8 HWC

# ArcFace: three sizes, both preprocessing variants (seed 3).
aw = arcface_weights(3)
for name, (h, w) in {"face_a": (64, 64), "face_b": (90, 100), "face_c": (256, 256)}.items():
    put_img(name, image(h, w))
    for mode in ("my3dgen", "psp"):
        out[f"arcface.{mode}.{name}"] = arcface_forward(aw, arcface_preprocess(tpm([imgs[name]]), mode))[0]
print("arcface |x| before norm sanity:", {k: float(v.norm()) for k, v in out.items() if k.startswith("arcface.my3dgen")})

# ID_sim (formula (2)) on 6 generated + 4 reference images (48x48, my3dgen variant).
gen = [image(48, 48) for _ in range(6)]; ref = [image(48, 48) for _ in range(4)]
for i, a in enumerate(gen): put_img(f"gen{i}", a)
for i, a in enumerate(ref): put_img(f"ref{i}", a)
eg = arcface_forward(aw, arcface_preprocess(tpm(gen), "my3dgen")); er = arcface_forward(aw, arcface_preprocess(tpm(ref), "my3dgen"))
cos = eg @ er.t()
out["idsim.cos"] = cos; out["idsim.score"] = cos.max(1).values.mean().view(1)

# DISTS on 3 pairs (seed 5), two sizes.
dw = dists_weights(5)
pa = [image(64, 64), image(64, 64)]; pb = [np.clip(pa[0].astype(int) + rs.randint(-20, 21, pa[0].shape), 0, 255).astype(np.uint8), image(64, 64)]
for i in range(2): put_img(f"dists_a{i}", pa[i]); put_img(f"dists_b{i}", pb[i])
out["dists.64"] = dists(dw, t01(pa), t01(pb))
qa, qb = image(40, 56), image(40, 56)
put_img("dists_a2", qa); put_img("dists_b2", qb)
out["dists.40x56"] = dists(dw, t01([qa]), t01([qb]))
out["dists.same"] = dists(dw, t01([qa]), t01([qa]))

# Diversity: 7 generated (72x80) around 3 training images, LPIPS-VGG (seed 8) at size 64 (antialiased bilinear resize).
lw = lpips_vgg_weights(8)
train = [image(72, 80) for _ in range(3)]
div_gen = [np.clip(train[i % 3].astype(int) + rs.randint(-40, 41, train[0].shape), 0, 255).astype(np.uint8) for i in range(7)]
for i, a in enumerate(train): put_img(f"train{i}", a)
for i, a in enumerate(div_gen): put_img(f"dgen{i}", a)
def feats(imgs): return lpips_feats(lw, F.interpolate(tpm(imgs), size=(64, 64), mode="bilinear", align_corners=False, antialias=True))
ft, fg = feats(train), feats(div_gen)
dist_to_train = torch.stack([lpips_from_feats(lw, fg, [f[k:k + 1].expand_as(g) for f, g in zip(ft, fg)]) for k in range(3)], 1)
assign = dist_to_train.argmin(1)
means = []
for k in range(3):
    m = [i for i in range(7) if assign[i] == k]
    ds = [float(lpips_from_feats(lw, [f[i:i + 1] for f in fg], [f[j:j + 1] for f in fg])) for a, i in enumerate(m) for j in m[a + 1:]]
    means.append(np.mean(ds) if len(ds) else np.nan)
means = np.array(means); used = means[~np.isnan(means)]
out["diversity.dist_to_train"] = dist_to_train; out["diversity.assign"] = assign.float()
out["diversity.cluster_mean"] = torch.tensor(means, dtype=torch.float64).float()
out["diversity.score"] = torch.tensor([used.mean(), used.std(ddof=1) if len(used) > 1 else np.nan], dtype=torch.float64).float()
out["diversity.score64"] = torch.tensor([used.mean()], dtype=torch.float64).float()
print("diversity assign", assign.tolist(), "cluster means", means, "score", used.mean())

# PSNR / SSIM on 5 pairs of mixed sizes (scikit-image structural_similarity, Gaussian window).
psnr, ssim = [], []
for i, (h, w) in enumerate([(32, 32), (48, 40), (64, 64), (33, 57), (80, 72)]):
    a = image(h, w); b = np.clip(a.astype(int) + rs.randint(-30, 31, a.shape), 0, 255).astype(np.uint8)
    put_img(f"q_a{i}", a); put_img(f"q_b{i}", b)
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    psnr.append(20 * np.log10(255.0 / np.sqrt(mse)))
    ssim.append(structural_similarity(a.astype(np.float64) / 255, b.astype(np.float64) / 255, gaussian_weights=True, sigma=1.5,
                                      use_sample_covariance=False, data_range=1.0, channel_axis=2))
out["quality.psnr"] = torch.tensor(psnr).float(); out["quality.ssim"] = torch.tensor(ssim).float()
out["quality.psnr64"] = torch.tensor(psnr, dtype=torch.float64); out["quality.ssim64"] = torch.tensor(ssim, dtype=torch.float64)
print("psnr", psnr, "ssim", ssim)

def save_safetensors(path, tensors, meta):
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        a = t.contiguous().numpy()
        dt = {np.dtype(np.float64): "F64", np.dtype(np.uint8): "U8"}.get(a.dtype, "F32")
        b = a.astype({"F64": "<f8", "U8": "u1", "F32": "<f4"}[dt]).tobytes()
        header[k] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    header["__metadata__"] = meta
    hj = json.dumps(header).encode(); hj += b" " * ((8 - len(hj) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj))); f.write(hj)
        for b in blobs: f.write(b)

os.makedirs(OUT, exist_ok=True)
save_safetensors(os.path.join(OUT, "metrics_reference.safetensors"), out,
                 {"made_by": "tools/metrics/make_reference.py", "torch": torch.__version__, "seeds": "arcface 3, dists 5, lpips-vgg 8"})
# The DISTS weights.pt layout ({'alpha','beta'} [1,1475,1,1], legacy torch.save), with the seed-5 hash values.
torch.save({"alpha": dw["alpha"].clone(), "beta": dw["beta"].clone()}, os.path.join(OUT, "dists_weights_random.pt"), _use_new_zipfile_serialization=False)
if "--full" in sys.argv:
    d = sys.argv[sys.argv.index("--full") + 1]; os.makedirs(d, exist_ok=True)
    # Original formats: model_ir_se50.pth and the torchvision files are plain state dicts (BN num_batches_tracked included).
    sd = {}
    for n, t in aw.items():
        sd[n] = t.clone()
        if n.endswith(".running_var"): sd[n[:-len("running_var")] + "num_batches_tracked"] = torch.tensor(0, dtype=torch.long)
    torch.save(sd, os.path.join(d, "model_ir_se50.pth"), _use_new_zipfile_serialization=False)
    torch.save({k: v.clone() for k, v in dw.items() if k.startswith("features")}, os.path.join(d, "vgg16.pth"))
    torch.save({"alpha": dw["alpha"].clone(), "beta": dw["beta"].clone()}, os.path.join(d, "weights.pt"), _use_new_zipfile_serialization=False)
    for n, a in imgs.items():
        from PIL import Image
        Image.fromarray(a).save(os.path.join(d, f"{n}.png"))
    print("full-size files in", d)
print({k: tuple(v.shape) for k, v in out.items() if not k.startswith("image.")})

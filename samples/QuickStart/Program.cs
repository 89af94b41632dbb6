// Quick start for using My3DGen as a library: load an EG3D generator, render a seed at a yaw/pitch to PNG, personalize
// it for a few steps on a tiny dataset made from its own renders, then apply the adapter and render again.
// Usage: dotnet run --project samples/QuickStart -- <generator .pkl|.safetensors> [output folder] [steps]
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;
using My3DGen.Models.Latents;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Training;

if (args.Length < 1) { Console.Error.WriteLine("usage: QuickStart <generator .pkl|.safetensors> [output folder] [steps]"); return 2; }
string outDir = args.Length > 1 ? args[1] : "quickstart-out";
int steps = args.Length > 2 ? int.Parse(args[2]) : 5;
Directory.CreateDirectory(outDir);

// 1. Weights: an EG3D .pkl is converted to safetensors first (the pickle is read, never executed).
string model = args[0];
if (model.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase))
{
    string converted = Path.Combine(outDir, Path.GetFileNameWithoutExtension(model) + ".safetensors");
    My3DGen.WeightsConverter.WeightsConverter.Convert(model, converted);
    model = converted;
}
var backend = DeviceSelector.Create();   // CUDA > OpenCL > CPU, or MY3DGEN_DEVICE
using var generator = Eg3dGenerator.Load(model, backend);
var cfg = generator.Config;
Console.WriteLine($"loaded {model} ({cfg.ImgResolution}² output) on {backend.Name}");

float[] Camera(float yaw, float pitch) => CameraLabel.Create(yaw, pitch, cfg.Rendering.AvgCameraRadius, cfg.Rendering.AvgCameraPivot);
Tensor Ws(int seed)   // latent ws [1, 14, 512] of a seed (z as EG3D's scripts draw it), truncation ψ 0.7
{
    using var scope = TensorScope.Begin();   // frees z and c; Keep hands ws to the caller
    return scope.Keep(generator.Mapping(Tensor.FromArray(backend, new NumpyRandomState((uint)seed).Randn(cfg.ZDim), 1, cfg.ZDim),
        Tensor.FromArray(backend, Camera(0, 0), 1, CameraLabel.Length), psi: 0.7f));
}
float[] Render(Tensor ws, float yaw, float pitch, string? png = null)
{
    using var noGrad = GradMode.NoGrad();      // inference: record no autograd graph
    using var scope = TensorScope.Begin();     // releases every intermediate tensor at the end
    var image = generator.Synthesize(ws, CameraLabel.ToTensor(backend, Camera(yaw, pitch))).Image;
    if (png != null) ImageExport.FromRgb(image).SavePng(Path.Combine(outDir, png));   // written atomically
    return image.ToArray();                    // [1, 3, H, W] in [-1, 1], copied to the host
}

// 2. Render seed 0 at yaw 0.3, pitch -0.1.
using var ws0 = Ws(0);
var before = Render(ws0, 0.3f, -0.1f, "seed0_base.png");

// 3. A tiny "person": renders of seed 1 from three views, anchored at seed 0's latent, so training pulls seed 0 towards seed 1.
using var ws1 = Ws(1);
var views = new[] { (-0.3f, 0f), (0f, 0.1f), (0.3f, -0.1f) };
var person = new PersonDataset(views.Select((v, i) => new PersonSample($"view{i}", Render(ws1, v.Item1, v.Item2), cfg.ImgResolution,
    Camera(v.Item1, v.Item2), ws0.ToArray())).ToList(), cfg.NumWs);

// 4. Personalize: rank-1 LoRA (+ decoder), MSE + LPIPS. Random LPIPS weights keep the sample download-free.
string adapterPath = Path.Combine(outDir, "person.lora.safetensors");
using (var lpips = Lpips.CreateRandom(LpipsNet.Alex, seed: 0, backend))
using (var trainer = new Personalizer(generator, lpips, person, new PersonalizeOptions { Steps = steps, CheckpointEvery = 0 }))
{
    await trainer.RunAsync(adapterPath: adapterPath);   // also takes IProgress<TrainingProgress> and a CancellationToken
    Console.WriteLine($"personalized for {trainer.Step} steps: loss {trainer.LossHistory[0]:F4} -> {trainer.LossHistory[^1]:F4}");
}   // disposing the trainer restores the base generator

// 5. Apply the adapter (dispose it to get the base back) and render the same view again.
float[] after;
using (AdapterFile.Apply(generator, adapterPath))
    after = Render(ws0, 0.3f, -0.1f, "seed0_personalized.png");
double change = before.Zip(after, (a, b) => Math.Abs(a - b)).Max();
Console.WriteLine($"wrote {outDir}/seed0_base.png and seed0_personalized.png (max pixel change {change:F4}) and {adapterPath}");
return 0;

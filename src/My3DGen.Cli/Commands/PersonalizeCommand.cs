// `my3dgen personalize`: trains a LoRA adapter (or the full fine-tuning baseline) for one person's folder of aligned
// photos + dataset.json + latent anchors, with a progress bar, checkpoints, --resume, previews and the adapter file.
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Reporting;
using My3DGen.Personalization.Training;
using Spectre.Console;
using My3DGen.Models;

namespace My3DGen.Cli.Commands;

public static class PersonalizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "base EG3D .safetensors (from `my3dgen convert`)", Required = true };
        var data = new Option<string>("--data") { Description = "folder with aligned photos, dataset.json and <image>_latent.npy anchors", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "adapter file to write (.safetensors)", Required = true };
        var anchors = new Option<string?>("--anchors") { Description = "anchors in one .safetensors (tensor per image name) instead of _latent.npy files" };
        var steps = new Option<int>("--steps") { Description = "optimisation steps", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 1 };
        var rank = new Option<int>("--rank") { Description = "LoRA rank", DefaultValueFactory = _ => 1 };
        var alpha = new Option<float>("--alpha") { Description = "LoRA alpha (scaling alpha/rank)", DefaultValueFactory = _ => 1f };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate (My3DGen: 0.002)", DefaultValueFactory = _ => 0.002f };
        var seed = new Option<int>("--seed") { Description = "seed of LoRA init, batch order and depth jitter", DefaultValueFactory = _ => 0 };
        var freezeDecoder = new Option<bool>("--freeze-decoder") { Description = "do not train the tri-plane decoder" };
        var full = new Option<bool>("--full-finetune") { Description = "baseline: fine-tune all backbone/SR/decoder weights instead of LoRA" };
        var lpipsBackbone = new Option<string?>("--lpips-backbone") { Description = "converted torchvision AlexNet .safetensors (features.*)" };
        var lpipsLin = new Option<string?>("--lpips-lin") { Description = "converted LPIPS alex.pth .safetensors (lin*.model.1.weight)" };
        var lpipsRandom = new Option<bool>("--lpips-random") { Description = "use random LPIPS weights (no downloads; perceptually meaningless)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "checkpoint file (default: <out>.ckpt.safetensors)" };
        var every = new Option<int>("--checkpoint-every") { Description = "steps between checkpoints", DefaultValueFactory = _ => 50 };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint" };
        var preview = new Option<int>("--preview-every") { Description = "steps between preview/loss-curve PNGs (0: only at the end)", DefaultValueFactory = _ => 0 };
        var device = DeviceOption.Create();
        var cmd = new Command("personalize", "train a LoRA adapter for one person on a frozen EG3D");
        foreach (var o in new Option[] { model, data, output, anchors, steps, batch, rank, alpha, lr, seed, freezeDecoder, full, lpipsBackbone, lpipsLin, lpipsRandom, checkpoint, every, resume, preview, device })
            cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var backend = DeviceSelector.Create(pr.GetValue(device));
            var gen = Eg3dGenerator.Load(pr.GetValue(model)!, backend);
            var ds = PersonDataset.Load(pr.GetValue(data)!, gen.Config.ImgResolution, gen.Config.NumWs, gen.Config.WDim, pr.GetValue(anchors));
            using var lpips = LoadLpips(pr.GetValue(lpipsBackbone), pr.GetValue(lpipsLin), pr.GetValue(lpipsRandom), backend);
            var opts = new PersonalizeOptions
            {
                Steps = pr.GetValue(steps), BatchSize = pr.GetValue(batch), Lora = new LoraOptions(pr.GetValue(rank), pr.GetValue(alpha), pr.GetValue(seed)),
                LearningRate = pr.GetValue(lr), Seed = pr.GetValue(seed), TrainDecoder = !pr.GetValue(freezeDecoder),
                FullFineTune = pr.GetValue(full), CheckpointEvery = pr.GetValue(every), PreviewEvery = pr.GetValue(preview),
            };
            var outPath = Path.GetFullPath(pr.GetValue(output)!);
            var ckpt = pr.GetValue(checkpoint) ?? Path.ChangeExtension(outPath, null) + ".ckpt.safetensors";
            string grid = Path.ChangeExtension(outPath, null) + ".preview.png", curve = Path.ChangeExtension(outPath, null) + ".loss.png";
            using var trainer = new Personalizer(gen, lpips, ds, opts);
            if (pr.GetValue(resume))
            {
                if (!File.Exists(ckpt)) throw new FileNotFoundException($"{ckpt}: no checkpoint to resume from", ckpt);
                Checkpoint.Load(trainer, ckpt);
                AnsiConsole.MarkupLine($"resumed at step {trainer.Step} from {Markup.Escape(ckpt)}");
            }
            AnsiConsole.MarkupLine($"device: [bold]{Markup.Escape(backend.Name)}[/]; {ds.Samples.Count} photos; trainable parameters: {trainer.Trainables.Count:N0}" +
                                   (lpips.IsRandom ? " [yellow](random LPIPS weights)[/]" : ""));
            TrainingProgressView.Run("personalizing", opts.Steps, (progress, _) =>
            {
                trainer.Run(progress, opts.CheckpointEvery > 0 ? ckpt : null, p => TrainingPreview.Write(p, grid, curve), adapterPath: outPath);
                return 0;
            });
            TrainingPreview.Write(trainer, grid, curve);
            AnsiConsole.MarkupLine($"adapter: [bold]{Markup.Escape(outPath)}[/] ({new FileInfo(outPath).Length / 1024.0:F1} KiB)");
            AnsiConsole.MarkupLine($"preview: {Markup.Escape(grid)} (top: photos, bottom: renders); loss curve: {Markup.Escape(curve)}");
            return 0;
        });
        return cmd;
    }

    static Lpips LoadLpips(string? backbone, string? lin, bool random, IBackend backend)
    {
        if (random) return Lpips.CreateRandom(LpipsNet.Alex, 0, backend);
        if (backbone == null || lin == null)
            throw new ArgumentException("LPIPS weights are needed: pass --lpips-backbone <alexnet.safetensors> and --lpips-lin <alex.safetensors> (convert them with `my3dgen convert`), or --lpips-random");
        return Lpips.Load(LpipsNet.Alex, backbone, lin, backend);
    }
}

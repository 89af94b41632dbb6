// `my3dgen personalize`: validates every option and output path before any work, loads the model, the person's
// dataset and LPIPS (aligning raw photos with --prepare and projecting photos without anchors first), then trains (PersonalizeRun) and prints where the adapter, preview and loss curve are.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Training;

namespace My3DGen.Cli.Commands;

internal static class PersonalizeCommand
{
    /// <summary>The `personalize` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "base EG3D .safetensors (from `my3dgen convert`)", Required = true };
        var data = new Option<string>("--data") { Description = "folder with aligned photos and dataset.json (photos without <image>_latent.npy are projected first)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "adapter file to write (.safetensors)", Required = true };
        var anchors = new Option<string?>("--anchors") { Description = "anchors in one .safetensors (tensor per image name) instead of _latent.npy files" };
        var steps = new Option<int>("--steps") { Description = "optimisation steps (≥ 1)", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 1 };
        var rank = new Option<int>("--rank") { Description = "LoRA rank", DefaultValueFactory = _ => 1 };
        var alpha = new Option<float>("--alpha") { Description = "LoRA alpha (scaling alpha/rank)", DefaultValueFactory = _ => 1f };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate, in (0, 1] (My3DGen: 0.002)", DefaultValueFactory = _ => 0.002f };
        var seed = new Option<int>("--seed") { Description = "seed of LoRA init, batch order and depth jitter", DefaultValueFactory = _ => 0 };
        var freezeDecoder = new Option<bool>("--freeze-decoder") { Description = "do not train the tri-plane decoder" };
        var full = new Option<bool>("--full-finetune") { Description = "baseline: fine-tune all backbone/SR/decoder weights instead of LoRA" };
        var lpipsBackbone = new Option<string?>("--lpips-backbone") { Description = "converted torchvision AlexNet .safetensors (features.*)" };
        var lpipsLin = new Option<string?>("--lpips-lin") { Description = "converted LPIPS alex.pth .safetensors (lin*.model.1.weight)" };
        var lpipsRandom = new Option<bool>("--lpips-random") { Description = "use random LPIPS weights (no downloads; perceptually meaningless)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "checkpoint file (default: <out>.ckpt.safetensors)" };
        var every = new Option<int>("--checkpoint-every") { Description = "steps between checkpoints (0: only when cancelled)", DefaultValueFactory = _ => 50 };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint" };
        var preview = new Option<int>("--preview-every") { Description = "steps between preview/loss-curve PNGs (0: only at the end)", DefaultValueFactory = _ => 0 };
        var prepare = new Option<bool>("--prepare") { Description = "--data holds raw photos: align them and estimate their cameras first (as `my3dgen prepare`, at the model's resolution)" };
        var preparedOut = new Option<string?>("--prepared-out") { Description = "folder for the prepared photos with --prepare (default: <out>.prepared/ beside the adapter)" };
        var project = new ProjectorOptionSet("project-");   // photos without anchors are projected first with these
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("personalize", "train a LoRA adapter for one person on a frozen EG3D",
                "my3dgen personalize -m eg3d.safetensors --data me/ --lpips-backbone alexnet.safetensors --lpips-lin alex.safetensors -o me.lora.safetensors",
                "my3dgen personalize -m eg3d.safetensors --data me/ --lpips-random --steps 100 -o me.lora.safetensors --resume",
                "my3dgen personalize -m eg3d.safetensors --data me/ --lpips-random --json -q -o me.lora.safetensors",
                "my3dgen personalize -m eg3d.safetensors --data photos/ --vgg-backbone vgg16.safetensors --vgg-lin lpips-vgg.safetensors --lpips-backbone alexnet.safetensors --lpips-lin alex.safetensors --project-steps 500 -o me.lora.safetensors"),
            [model, data, output, anchors, steps, batch, rank, alpha, lr, seed, freezeDecoder, full, lpipsBackbone, lpipsLin, lpipsRandom, checkpoint, every, resume, preview, prepare, preparedOut,
                .. project.All, device]);
        cmd.SetAction(p =>
        {
            var opts = new PersonalizeOptions
            {
                Steps = OptionChecks.InRange(p.GetValue(steps), "--steps", 1, 10_000_000), BatchSize = OptionChecks.InRange(p.GetValue(batch), "--batch", 1, 4096),
                Lora = new LoraOptions(OptionChecks.InRange(p.GetValue(rank), "--rank", 1, 512), OptionChecks.Finite(p.GetValue(alpha), "--alpha", 0, 1e6f, aboveMin: true),
                    OptionChecks.InRange(p.GetValue(seed), "--seed", 0)),
                LearningRate = OptionChecks.Finite(p.GetValue(lr), "--lr", 0, 1, aboveMin: true), Seed = OptionChecks.InRange(p.GetValue(seed), "--seed", 0),
                TrainDecoder = !p.GetValue(freezeDecoder), FullFineTune = p.GetValue(full),
                CheckpointEvery = OptionChecks.InRange(p.GetValue(every), "--checkpoint-every", 0), PreviewEvery = OptionChecks.InRange(p.GetValue(preview), "--preview-every", 0),
            };
            string dataFolder = p.GetValue(data)!;
            if (p.GetValue(prepare))
                dataFolder = PrepareRawPhotos(s, p.GetValue(model)!, dataFolder, p.GetValue(preparedOut) ?? Path.ChangeExtension(p.GetValue(output)!, null) + ".prepared");
            var run = new PersonalizeRun(s, opts, p.GetValue(model)!, dataFolder, p.GetValue(output)!, p.GetValue(checkpoint), p.GetValue(anchors),
                new LpipsChoice(p.GetValue(lpipsBackbone), p.GetValue(lpipsLin), p.GetValue(lpipsRandom)), p.GetValue(resume), p.GetValue(device),
                project.Read(p), project.Weights(p, p.GetValue(lpipsRandom)));
            var r = run.Execute();
            var o = s.Output;
            o.Line($"adapter: {r.Adapter} ({new FileInfo(r.Adapter).Length / 1024.0:F1} KiB)");
            o.Line($"preview: {r.Preview} (top: photos, bottom: renders); loss curve: {r.LossCurve}");
            o.Result(new JsonObject { ["ok"] = true, ["adapter"] = r.Adapter, ["checkpoint"] = r.Checkpoint, ["preview"] = r.Preview, ["lossCurve"] = r.LossCurve,
                ["steps"] = r.Steps, ["finalLoss"] = r.FinalLoss is float f && float.IsFinite(f) ? f : null });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Aligns the raw photos of <paramref name="rawFolder"/> into <paramref name="preparedFolder"/> at the model's resolution
    /// and returns that folder; no accepted photo is a one-line error naming the raw folder.</summary>
    static string PrepareRawPhotos(CliSession s, string model, string rawFolder, string preparedFolder)
    {
        int size = Models.Eg3d.Eg3dConfig.FromMetadata(Models.Api.GeneratorFile.ReadMetadata(model), model).ImgResolution;
        var files = Faces.Preparation.FacePreparer.ExpandInputs([rawFolder]);
        if (files.Count == 0) throw new Personalization.Data.DatasetException(rawFolder, "no photos found to prepare");
        var summary = PreparationStep.Run(s, files, preparedFolder, new Faces.Preparation.PrepareOptions { Size = size });
        if (summary.AcceptedCount == 0 || summary.DatasetJson == null)
            throw new Personalization.Data.DatasetException(rawFolder, $"none of the {files.Count} photos could be prepared (see {summary.PrepareJson})");
        return summary.Folder;
    }
}

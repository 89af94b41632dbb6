// InterFaceGAN's train_boundary (spec §6): sort latents by score, take the top and bottom ratio (2 %) as positives and
// negatives, split each side 70/30 (shuffled) into train and validation, fit a linear SVM (C = 1) and return the unit
// normal n = w/‖w‖ pointing towards higher scores, with the validation accuracy.
namespace My3DGen.Tasks.Editing;

/// <summary>A fitted direction and how well it separates the chosen latents.</summary>
/// <param name="Direction">Unit normal [w_dim] towards higher scores.</param>
/// <param name="PerSide">Latents chosen on each side (top and bottom).</param>
/// <param name="TrainPerSide">Of those, used for training on each side.</param>
/// <param name="TrainAccuracy">Accuracy on the training latents.</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out latents (NaN when the split leaves none).</param>
/// <param name="Epochs">Solver passes.</param>
public sealed record FittedDirection(float[] Direction, int PerSide, int TrainPerSide, double TrainAccuracy, double ValidationAccuracy, int Epochs);

/// <summary>Fits InterFaceGAN-style linear directions.</summary>
public static class DirectionFitter
{
    /// <summary>Fits a direction from latents [n][w_dim] and scores [n].</summary>
    /// <param name="latents">One w per sample (W+ codes: average the layers first, as the My3DGen authors did).</param>
    /// <param name="scores">The attribute score of each latent (higher = more of the attribute).</param>
    /// <param name="ratio">Fraction taken from each end (InterFaceGAN's chosen_num_or_ratio 0.02); a value &gt; 1 is a count.</param>
    /// <param name="split">Training fraction of each side (0.7).</param>
    /// <param name="seed">Seed of the shuffles before the split and of the solver.</param>
    /// <exception cref="TaskInputException">Mismatched counts, non-finite values, or too few latents for the ratio.</exception>
    public static FittedDirection Fit(IReadOnlyList<float[]> latents, IReadOnlyList<double> scores, double ratio = 0.02, double split = 0.7, int seed = 0)
    {
        if (latents.Count != scores.Count) throw new TaskInputException("scores", $"{scores.Count} scores for {latents.Count} latents");
        if (latents.Count == 0) throw new TaskInputException("latents", "no latents");
        if (scores.Any(s => !double.IsFinite(s))) throw new TaskInputException("scores", "non-finite score");
        if (latents.Any(l => l.Any(v => !float.IsFinite(v)))) throw new TaskInputException("latents", "non-finite value");
        if (!(ratio > 0)) throw new TaskInputException("ratio", $"must be > 0, got {ratio}");
        if (!(split > 0 && split <= 1)) throw new TaskInputException("split", $"must be in (0, 1], got {split}");
        int n = latents.Count;
        int chosen = Math.Min(ratio <= 1 ? (int)(n * ratio) : (int)ratio, n / 2);
        int train = (int)(chosen * split);
        if (train < 1)
            throw new TaskInputException("latents", $"{n} latents with ratio {ratio} give {chosen} per side, too few to train (need ≥ {(int)Math.Ceiling(1 / (ratio * split))} latents, or a larger ratio)");
        var byScore = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var rng = new Random(seed);
        var positives = byScore[..chosen].ToArray();
        var negatives = byScore[^chosen..].ToArray();
        rng.Shuffle(positives); rng.Shuffle(negatives);
        List<double[]> trainX = [], valX = [];
        List<int> trainY = [], valY = [];
        foreach (var (side, label) in new[] { (positives, 1), (negatives, -1) })
            for (int k = 0; k < side.Length; k++)
            {
                var row = latents[side[k]].Select(v => (double)v).ToArray();
                if (k < train) { trainX.Add(row); trainY.Add(label); } else { valX.Add(row); valY.Add(label); }
            }
        var model = LinearSvm.Train(trainX, trainY, seed: seed);
        double norm = Math.Sqrt(model.Weights.Sum(v => v * v));
        if (norm == 0) throw new TaskInputException("latents", "the SVM found no direction (all chosen latents are equal)");
        var direction = model.Weights.Select(v => (float)(v / norm)).ToArray();
        return new FittedDirection(direction, chosen, train, model.Accuracy(trainX, trainY), model.Accuracy(valX, valY), model.Epochs);
    }

    /// <summary>The mean over layers of W+ latents [n][L·w_dim] (InterFaceGAN fits in W).</summary>
    public static float[] MeanOverLayers(ReadOnlySpan<float> ws, int numWs, int wDim)
    {
        var w = new float[wDim];
        for (int k = 0; k < wDim; k++)
        {
            double s = 0;
            for (int l = 0; l < numWs; l++) s += ws[l * wDim + k];
            w[k] = (float)(s / numWs);
        }
        return w;
    }
}

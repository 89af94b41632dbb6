// A linear soft-margin SVM (hinge loss, penalty C) trained by dual coordinate descent (Hsieh et al., ICML 2008, the
// liblinear solver): the bias is learned as the weight of a constant feature 1 (so, unlike libsvm's SVC, it is lightly
// regularised). Deterministic for a given seed (the coordinate order is shuffled every epoch).
namespace My3DGen.Tasks.Editing;

/// <summary>A trained linear classifier sign(w·x + b).</summary>
/// <param name="Weights">w (one per feature).</param>
/// <param name="Bias">b.</param>
/// <param name="Epochs">Passes over the data until the projected-gradient gap fell below the tolerance (or the limit).</param>
public sealed record LinearSvmModel(double[] Weights, double Bias, int Epochs)
{
    /// <summary>w·x + b.</summary>
    public double Decision(ReadOnlySpan<double> x)
    {
        double s = Bias;
        for (int k = 0; k < Weights.Length; k++) s += Weights[k] * x[k];
        return s;
    }

    /// <summary>The fraction of rows whose predicted sign matches its label (labels ±1).</summary>
    public double Accuracy(IReadOnlyList<double[]> x, IReadOnlyList<int> labels) =>
        x.Count == 0 ? double.NaN : x.Select((r, i) => (Decision(r) >= 0 ? 1 : -1) == labels[i] ? 1.0 : 0.0).Average();
}

/// <summary>Dual coordinate descent for the L1-loss (hinge) linear SVM.</summary>
public static class LinearSvm
{
    /// <summary>Trains on rows <paramref name="x"/> with labels ±1.</summary>
    /// <exception cref="ArgumentException">Empty data, ragged rows, labels other than ±1, or only one class.</exception>
    public static LinearSvmModel Train(IReadOnlyList<double[]> x, IReadOnlyList<int> labels, double c = 1.0, double tolerance = 1e-4,
        int maxEpochs = 2000, int seed = 0)
    {
        if (x.Count == 0 || x.Count != labels.Count) throw new ArgumentException("need one label per row and at least one row");
        int d = x[0].Length, n = x.Count;
        if (x.Any(r => r.Length != d)) throw new ArgumentException("all rows must have the same length", nameof(x));
        if (labels.Any(y => y != 1 && y != -1)) throw new ArgumentException("labels must be +1 or -1", nameof(labels));
        if (labels.All(y => y == 1) || labels.All(y => y == -1)) throw new ArgumentException("need both classes", nameof(labels));
        var w = new double[d + 1];                       // last entry: bias (constant feature 1)
        var alpha = new double[n];
        var qii = x.Select(r => r.Sum(v => v * v) + 1).ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Random(seed);
        int epoch = 0;
        for (; epoch < maxEpochs; epoch++)
        {
            rng.Shuffle(order);
            double maxPg = double.NegativeInfinity, minPg = double.PositiveInfinity;
            foreach (int i in order)
            {
                var r = x[i];
                double y = labels[i];
                double dot = w[d];
                for (int k = 0; k < d; k++) dot += w[k] * r[k];
                double g = y * dot - 1;
                double pg = alpha[i] == 0 ? Math.Min(g, 0) : alpha[i] >= c ? Math.Max(g, 0) : g;
                maxPg = Math.Max(maxPg, pg); minPg = Math.Min(minPg, pg);
                if (Math.Abs(pg) < 1e-15) continue;
                double old = alpha[i];
                alpha[i] = Math.Clamp(old - g / qii[i], 0, c);
                double delta = (alpha[i] - old) * y;
                for (int k = 0; k < d; k++) w[k] += delta * r[k];
                w[d] += delta;
            }
            if (maxPg - minPg < tolerance) { epoch++; break; }
        }
        return new LinearSvmModel(w[..d], w[d], epoch);
    }
}

// Layer tables of the torchvision feature extractors LPIPS taps (AlexNet, VGG16): conv geometry per
// `features.{i}` index, max-pools, and which ReLU outputs are tapped. Shapes follow torchvision exactly.
namespace My3DGen.Models.Perceptual;

/// <summary>The torchvision feature extractor LPIPS compares in.</summary>
public enum LpipsNet
{
    /// <summary>AlexNet (the trainer's LPIPS).</summary>
    Alex,
    /// <summary>VGG16 (the projector's LPIPS).</summary>
    Vgg,
}

/// <summary>One step of a torchvision `features` stack.</summary>
internal abstract record FeatureStep(int Index);
/// <summary>Conv at `features.{Index}` followed by ReLU (at Index+1); Tap marks the ReLU output as an LPIPS layer.</summary>
internal sealed record ConvStep(int Index, int In, int Out, int Kernel, int Stride, int Padding, bool Tap) : FeatureStep(Index);
internal sealed record MaxPoolStep(int Index, int Kernel, int Stride) : FeatureStep(Index);

internal static class LpipsBackbone
{
    /// <summary>The steps up to the last tapped ReLU.</summary>
    public static IReadOnlyList<FeatureStep> Steps(LpipsNet net) => net switch
    {
        LpipsNet.Alex =>
        [
            new ConvStep(0, 3, 64, 11, 4, 2, true), new MaxPoolStep(2, 3, 2),
            new ConvStep(3, 64, 192, 5, 1, 2, true), new MaxPoolStep(5, 3, 2),
            new ConvStep(6, 192, 384, 3, 1, 1, true),
            new ConvStep(8, 384, 256, 3, 1, 1, true),
            new ConvStep(10, 256, 256, 3, 1, 1, true),
        ],
        LpipsNet.Vgg =>
        [
            new ConvStep(0, 3, 64, 3, 1, 1, false), new ConvStep(2, 64, 64, 3, 1, 1, true), new MaxPoolStep(4, 2, 2),
            new ConvStep(5, 64, 128, 3, 1, 1, false), new ConvStep(7, 128, 128, 3, 1, 1, true), new MaxPoolStep(9, 2, 2),
            new ConvStep(10, 128, 256, 3, 1, 1, false), new ConvStep(12, 256, 256, 3, 1, 1, false), new ConvStep(14, 256, 256, 3, 1, 1, true), new MaxPoolStep(16, 2, 2),
            new ConvStep(17, 256, 512, 3, 1, 1, false), new ConvStep(19, 512, 512, 3, 1, 1, false), new ConvStep(21, 512, 512, 3, 1, 1, true), new MaxPoolStep(23, 2, 2),
            new ConvStep(24, 512, 512, 3, 1, 1, false), new ConvStep(26, 512, 512, 3, 1, 1, false), new ConvStep(28, 512, 512, 3, 1, 1, true),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(net)),
    };

    /// <summary>Channels of each tapped layer (= the lin layer widths).</summary>
    public static int[] TapChannels(LpipsNet net) => Steps(net).OfType<ConvStep>().Where(s => s.Tap).Select(s => s.Out).ToArray();
}

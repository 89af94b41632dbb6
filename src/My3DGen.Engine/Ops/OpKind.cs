// The closed list of tensor-level ops. Every entry must have a row in OpTable (gradient rule and
// backend primitive), a plain reference and a test case; a coverage test enforces this.
namespace My3DGen.Engine.Ops;

/// <summary>Every tensor-level op (the autograd record of what produced a tensor).</summary>
public enum OpKind
{
    // unary elementwise (one per UnaryOp, same name)
    /// <summary>−x.</summary>
    Neg,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>ln x.</summary>
    Log,
    /// <summary>√x.</summary>
    Sqrt,
    /// <summary>1/√x.</summary>
    Rsqrt,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>leaky ReLU.</summary>
    LeakyRelu,
    /// <summary>softplus.</summary>
    Softplus,
    /// <summary>logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>clamp to [a, b].</summary>
    Clamp,
    /// <summary>x to a scalar power.</summary>
    PowScalar,
    /// <summary>a·x + b.</summary>
    Affine,
    /// <summary>sin x.</summary>
    Sin,
    // binary elementwise (broadcasting)
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Sub,
    /// <summary>a · b.</summary>
    Mul,
    /// <summary>a / b.</summary>
    Div,
    /// <summary>a^b.</summary>
    Pow,
    /// <summary>max(a, b).</summary>
    Maximum,
    /// <summary>min(a, b).</summary>
    Minimum,
    // reductions
    /// <summary>sum over axes.</summary>
    Sum,
    /// <summary>mean over axes.</summary>
    Mean,
    /// <summary>max over axes.</summary>
    Max,
    // linear algebra and convolution
    /// <summary>(batched) matrix product.</summary>
    MatMul,
    /// <summary>2-D convolution.</summary>
    Conv2d,
    /// <summary>2-D transposed convolution.</summary>
    ConvTranspose2d,
    /// <summary>separable 4-tap FIR (EG3D's [1,3,3,1] up filter) with zero padding and an optional per-channel bias.</summary>
    Fir2d,
    /// <summary>modulated convolution (kernel family: shared weight, per-sample LoRA, demodulation, fused epilogue).</summary>
    ModulatedConv,
    /// <summary>Σ over a conv weight's taps of its squares, [O, I] (the weight half of the demodulation; cached while unchanged).</summary>
    WeightSquareSums,
    // shape ops
    /// <summary>new shape, same elements.</summary>
    Reshape,
    /// <summary>axis reorder.</summary>
    Permute,
    /// <summary>strided range along an axis.</summary>
    Slice,
    /// <summary>concatenation along an axis.</summary>
    Concat,
    /// <summary>zero padding / cropping.</summary>
    Pad,
    /// <summary>broadcast to a larger shape.</summary>
    Expand,
    /// <summary>dense copy.</summary>
    Contiguous,
    // indexing, resampling, pooling
    /// <summary>gather along an axis.</summary>
    IndexSelect,
    /// <summary>bilinear resize.</summary>
    ResizeBilinear,
    /// <summary>area resize (adaptive average pooling).</summary>
    ResizeArea,
    /// <summary>average pooling.</summary>
    AvgPool2d,
    /// <summary>max pooling.</summary>
    MaxPool2d,
    // volume rendering
    /// <summary>fused tri-plane sampling + OSG decoder.</summary>
    TriplaneDecode,
    /// <summary>MipRayMarcher2 over merged sample lists.</summary>
    RayMarch,
}

// The closed list of tensor-level ops. Every entry must have a row in OpTable (gradient rule and
// backend primitive), a plain reference and a test case; a coverage test enforces this.
namespace My3DGen.Engine.Ops;

public enum OpKind
{
    // unary elementwise
    Neg, Exp, Log, Sqrt, Rsqrt, Abs, Relu, LeakyRelu, Softplus, Sigmoid, Tanh, Clamp, PowScalar, Affine, Sin,
    // binary elementwise (broadcasting)
    Add, Sub, Mul, Div, Pow, Maximum, Minimum,
    // reductions
    Sum, Mean, Max,
    // linear algebra and convolution
    MatMul, Conv2d, ConvTranspose2d,
    // layout
    Reshape, Permute, Slice, Concat, Pad, Expand, Contiguous,
    // indexing, resampling, pooling
    IndexSelect, ResizeBilinear, AvgPool2d, MaxPool2d,
}

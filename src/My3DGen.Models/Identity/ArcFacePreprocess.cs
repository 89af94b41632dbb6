// The two ways the ArcFace identity network is fed in the literature: My3DGen/MyStyle's whole-image pooling and
// pSp/e4e/PTI's fixed 188² crop. Both take [-1,1] RGB images of any size and give 112² network inputs.
namespace My3DGen.Models.Identity;

/// <summary>How an image is turned into the 112×112 ArcFace input.</summary>
public enum ArcFacePreprocess
{
    /// <summary>My3DGen / MyStyle PersonIdentifier (the default, used in their evaluation): clamp to [-1,1], then
    /// adaptive-average-pool the whole image to 112² (no crop).</summary>
    My3DGen,
    /// <summary>pSp / e4e / PTI IDLoss: adaptive-pool to 256² (when the image is not 256 high), crop rows 35:223 and
    /// columns 32:220, adaptive-pool to 112².</summary>
    Psp,
}

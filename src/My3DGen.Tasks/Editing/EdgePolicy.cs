// What an α-space edit does when it leaves the dilated personal space P_β (some α < −β), as MyStyle's edit.py.
namespace My3DGen.Tasks.Editing;

/// <summary>MyStyle's edge policies for edits whose min α falls below −β.</summary>
public enum EdgePolicy
{
    /// <summary>Keep the edit as it is (MyStyle's default).</summary>
    Continue,
    /// <summary>Skip the edit (no latent, no image).</summary>
    Stop,
    /// <summary>Replace α by the closest coefficients (in latent space, per layer) with Σα = 1 and every α ≥ −β.</summary>
    Project,
}

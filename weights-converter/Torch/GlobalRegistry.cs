// The allowlist of globals a pickle may reference, each mapped to a data builder kind. Anything else
// is rejected with UnknownGlobalException; no global is ever imported or called.
using My3DGen.WeightsConverter.Pickle;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>What an allowlisted global builds when a pickle calls or instantiates it.</summary>
internal enum GlobalKind
{
    RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState, LoadFromBytes,
    OrderedDict, DictClass, SetClass, PersistentReconstruct, NumpyScalar, NumpyDType, StorageType,
    ModuleClass, CodecsEncode, TorchDevice, TorchSize, JitIdentity,
}

/// <summary>Resolves (module, name) pairs against the allowlist.</summary>
internal static class GlobalRegistry
{
    static readonly Dictionary<string, GlobalKind> Exact = new()
    {
        ["torch._utils._rebuild_tensor_v2"] = GlobalKind.RebuildTensorV2,
        ["torch._utils._rebuild_tensor"] = GlobalKind.RebuildTensor,
        ["torch._utils._rebuild_parameter"] = GlobalKind.RebuildParameter,
        ["torch._utils._rebuild_parameter_with_state"] = GlobalKind.RebuildParameterWithState,
        ["torch.storage._load_from_bytes"] = GlobalKind.LoadFromBytes,
        ["collections.OrderedDict"] = GlobalKind.OrderedDict,
        ["torch_utils.persistence._reconstruct_persistent_obj"] = GlobalKind.PersistentReconstruct,
        ["dnnlib.util.EasyDict"] = GlobalKind.DictClass,
        ["builtins.dict"] = GlobalKind.DictClass,
        ["__builtin__.dict"] = GlobalKind.DictClass,
        ["builtins.set"] = GlobalKind.SetClass,
        ["builtins.frozenset"] = GlobalKind.SetClass,
        ["__builtin__.set"] = GlobalKind.SetClass,
        ["numpy.core.multiarray.scalar"] = GlobalKind.NumpyScalar,
        ["numpy._core.multiarray.scalar"] = GlobalKind.NumpyScalar,
        ["numpy.dtype"] = GlobalKind.NumpyDType,
        ["_codecs.encode"] = GlobalKind.CodecsEncode,
        ["torch.device"] = GlobalKind.TorchDevice,
        ["torch.Size"] = GlobalKind.TorchSize,
        // TorchScript's typed-container helpers: each returns its first argument unchanged.
        ["torch.jit._pickle.build_intlist"] = GlobalKind.JitIdentity,
        ["torch.jit._pickle.build_doublelist"] = GlobalKind.JitIdentity,
        ["torch.jit._pickle.build_boollist"] = GlobalKind.JitIdentity,
        ["torch.jit._pickle.build_tensorlist"] = GlobalKind.JitIdentity,
        ["torch.jit._pickle.build_stringlist"] = GlobalKind.JitIdentity,
        ["torch.jit._pickle.restore_type_tag"] = GlobalKind.JitIdentity,
    };

    // Class namespaces whose instances are kept as inert (class, state) records: torch.nn layers,
    // EG3D's training.* classes, torchvision models and TorchScript's generated __torch__ classes.
    static readonly string[] ModuleClassPrefixes = { "torch.nn.modules.", "training.", "torchvision.models.", "__torch__." };

    /// <summary>The kind of an allowlisted global, or null when it is not allowed.</summary>
    public static GlobalKind? Resolve(string module, string name)
    {
        if (Exact.TryGetValue($"{module}.{name}", out var k)) return k;
        if (TorchStorageTypes.TryGet(module, name, out _)) return GlobalKind.StorageType;
        if (module == "__torch__" || module == "training" || ModuleClassPrefixes.Any(p => module.StartsWith(p, StringComparison.Ordinal)))
            return IsIdentifier(name) ? GlobalKind.ModuleClass : null;
        return null;
    }

    static bool IsIdentifier(string s) =>
        s.Length is > 0 and < 256 && !char.IsDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

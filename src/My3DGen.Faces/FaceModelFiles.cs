// Where the three face models live: models/face/ beside the assembly (the project copies them there and packs them),
// or a folder the caller names. One place resolves the names so every stage loads the same files.
using My3DGen.Faces.Graph;

namespace My3DGen.Faces;

/// <summary>Locates the bundled TF.js face models (blazeface, facemesh, mobilefacenet).</summary>
public static class FaceModelFiles
{
    /// <summary>The folder holding the bundled models: models/face beside the running assemblies.</summary>
    public static string DefaultFolder => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "face");

    /// <summary>The model.json of <paramref name="model"/> ("blazeface", "facemesh", "mobilefacenet") in <paramref name="folder"/>.</summary>
    public static string Path(string model, string? folder = null)
    {
        string file = System.IO.Path.Combine(folder ?? DefaultFolder, model + ".json");
        if (!File.Exists(file)) throw new FaceModelException(file, "face model not found (the models ship in models/face beside my3dgen; reinstall or pass the folder)");
        return file;
    }
}
